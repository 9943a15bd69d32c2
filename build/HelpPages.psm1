# Reads the cmdlet help pages in docs/help (one markdown page per cmdlet) and writes the MAML file
# PowerShell's Get-Help reads. The pages are the single source: a reader sees them on the repository's
# web page, Get-Help shows the same text.
#
# Page shape:
#   # Verb-Noun
#   ## Synopsis / ## Description / ## Parameters (### -Name per parameter) / ## Examples
#   (### Example N: title, a ```powershell fence, then remarks) / ## Inputs and ## Outputs (### TypeName, then text)
#   / ## Related Links (a list: "- Command-Name", "- about_Topic" or "- [text](uri)")
#
# What the code knows is taken from the code, never retyped: parameter types, aliases, default values, wildcard
# support, pipeline input; the pages carry the words.

Set-StrictMode -Version Latest

function Read-HelpPage {
    [CmdletBinding()]
    param([Parameter(Mandatory)][string] $Path)

    $lines = Get-Content -LiteralPath $Path -Encoding utf8
    $page = [ordered]@{
        Name        = $null
        Synopsis    = ''
        Description = ''
        Parameters  = [ordered]@{}
        Examples    = [System.Collections.Generic.List[object]]::new()
        Inputs      = [System.Collections.Generic.List[object]]::new()
        Outputs     = [System.Collections.Generic.List[object]]::new()
        RelatedLinks = [System.Collections.Generic.List[object]]::new()
        Path        = $Path
    }

    $section = $null
    $current = $null
    $inFence = $false
    $buffer = [System.Text.StringBuilder]::new()

    $flush = {
        $text = $buffer.ToString().Trim()
        [void]$buffer.Clear()
        switch ($section) {
            'Synopsis' { $page.Synopsis = $text }
            'Description' { $page.Description = $text }
            'Parameters' { if ($current) { $page.Parameters[$current] = $text } }
            'Examples' { if ($current) { $current.Remarks = $text } }
            'Inputs' { if ($current) { $current.Description = $text } }
            'Outputs' { if ($current) { $current.Description = $text } }
            'Related Links' {
                foreach ($item in $text -split '\r?\n' | Where-Object { $_ -match '^\s*[-*]\s+\S' }) {
                    $entry = ($item -replace '^\s*[-*]\s+', '').Trim()
                    if ($entry -match '^\[(.+?)\]\((.+?)\)$') { $page.RelatedLinks.Add([pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[2] }) }
                    else { $page.RelatedLinks.Add([pscustomobject]@{ Text = $entry.Trim('`'); Uri = '' }) }
                }
            }
        }
    }

    foreach ($line in $lines) {
        if ($inFence) {
            if ($line -match '^```\s*$') {
                $inFence = $false
                continue
            }
            if ($section -eq 'Examples' -and $current) {
                $current.Code += ($(if ($current.Code) { "`n" } else { '' }) + $line)
            }
            continue
        }
        if ($line -match '^```') {
            $inFence = $true
            continue
        }
        if ($line -match '^# (\S+)\s*$') {
            $page.Name = $Matches[1]
            continue
        }
        if ($line -match '^## (.+?)\s*$') {
            & $flush
            $section = $Matches[1]
            $current = $null
            continue
        }
        if ($line -match '^### (.+?)\s*$') {
            & $flush
            $heading = $Matches[1]
            switch ($section) {
                'Parameters' { $current = $heading.TrimStart('-') }
                'Examples' {
                    $current = [pscustomobject]@{ Title = $heading; Code = ''; Remarks = '' }
                    $page.Examples.Add($current)
                }
                'Inputs' {
                    $current = [pscustomobject]@{ TypeName = $heading.Trim('`'); Description = '' }
                    $page.Inputs.Add($current)
                }
                'Outputs' {
                    $current = [pscustomobject]@{ TypeName = $heading.Trim('`'); Description = '' }
                    $page.Outputs.Add($current)
                }
            }
            continue
        }
        [void]$buffer.AppendLine($line)
    }
    & $flush
    [pscustomobject]$page
}

function ConvertTo-Paragraphs {
    param([System.Xml.XmlWriter] $Writer, [string] $Text)
    foreach ($paragraph in ($Text -split "(\r?\n){2,}" | Where-Object { $_.Trim() })) {
        $Writer.WriteElementString('maml', 'para', 'http://schemas.microsoft.com/maml/2004/10', (($paragraph -split '\r?\n') -join ' ').Trim())
    }
}

function Write-MamlHelp {
    <#
    .SYNOPSIS
    Writes one MAML file for the given cmdlets from their help pages.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][System.Management.Automation.CmdletInfo[]] $Command,
        [Parameter(Mandatory)][string] $PageFolder,
        [Parameter(Mandatory)][string] $OutputPath,
        # Where the pages are published: each command's first related link (Get-Help -Online) is its page there.
        [string] $ProjectUri
    )

    $maml = 'http://schemas.microsoft.com/maml/2004/10'
    $cmd = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    $dev = 'http://schemas.microsoft.com/maml/dev/2004/10'

    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    New-Item -ItemType Directory -Force -Path (Split-Path $OutputPath) | Out-Null
    $writer = [System.Xml.XmlWriter]::Create($OutputPath, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems')
        $writer.WriteAttributeString('schema', 'maml')
        $writer.WriteAttributeString('xmlns', 'maml', $null, $maml)
        $writer.WriteAttributeString('xmlns', 'command', $null, $cmd)
        $writer.WriteAttributeString('xmlns', 'dev', $null, $dev)

        foreach ($info in $Command | Sort-Object Name) {
            $pagePath = Join-Path $PageFolder "$($info.Name).md"
            if (-not (Test-Path -LiteralPath $pagePath)) {
                throw "The cmdlet $($info.Name) has no help page: write $pagePath."
            }
            $page = Read-HelpPage -Path $pagePath

            $writer.WriteStartElement('command', 'command', $cmd)
            $writer.WriteStartElement('command', 'details', $cmd)
            $writer.WriteElementString('command', 'name', $cmd, $info.Name)
            $writer.WriteStartElement('maml', 'description', $maml)
            ConvertTo-Paragraphs $writer $page.Synopsis
            $writer.WriteEndElement()
            $writer.WriteElementString('command', 'verb', $cmd, $info.Verb)
            $writer.WriteElementString('command', 'noun', $cmd, $info.Noun)
            $writer.WriteEndElement()

            $writer.WriteStartElement('maml', 'description', $maml)
            ConvertTo-Paragraphs $writer $page.Description
            $writer.WriteEndElement()

            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            $defaults = Get-ParameterDefault -Command $info
            $writer.WriteStartElement('command', 'syntax', $cmd)
            foreach ($set in $info.ParameterSets) {
                $writer.WriteStartElement('command', 'syntaxItem', $cmd)
                $writer.WriteElementString('maml', 'name', $maml, $info.Name)
                foreach ($p in $set.Parameters | Where-Object { $common -notcontains $_.Name }) {
                    $meta = $info.Parameters[$p.Name]
                    Write-ParameterElement $writer $p.Name $p.ParameterType $p.IsMandatory $p.Position ($p.ValueFromPipeline -or $p.ValueFromPipelineByPropertyName) $page.Parameters[$p.Name] `
                        -Aliases $meta.Aliases -DefaultValue $defaults[$p.Name] -Globbing (Test-SupportsWildcards $meta) -PipelineText (Get-PipelineText $meta)
                }
                $writer.WriteEndElement()
            }
            $writer.WriteEndElement()

            $writer.WriteStartElement('command', 'parameters', $cmd)
            foreach ($name in $info.Parameters.Keys | Where-Object { $common -notcontains $_ }) {
                $meta = $info.Parameters[$name]
                $attributes = @($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
                $mandatory = [bool]($attributes | Where-Object Mandatory)
                $position = $null
                foreach ($attribute in $attributes) { if ($attribute.Position -ge 0) { $position = $attribute.Position } }
                $pipeline = [bool]($attributes | Where-Object { $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName })
                Write-ParameterElement $writer $name $meta.ParameterType $mandatory $(if ($null -eq $position) { -2147483648 } else { $position }) $pipeline $page.Parameters[$name] `
                    -Aliases $meta.Aliases -DefaultValue $defaults[$name] -Globbing (Test-SupportsWildcards $meta) -PipelineText (Get-PipelineText $meta)
            }
            $writer.WriteEndElement()

            $writer.WriteStartElement('command', 'inputTypes', $cmd)
            $inputs = if ($page.Inputs.Count -gt 0) { $page.Inputs } else { Get-DerivedInput -Command $info }
            foreach ($input in $inputs) {
                $writer.WriteStartElement('command', 'inputType', $cmd)
                $writer.WriteStartElement('dev', 'type', $dev)
                $writer.WriteElementString('maml', 'name', $maml, $input.TypeName)
                $writer.WriteEndElement()
                $writer.WriteStartElement('maml', 'description', $maml)
                ConvertTo-Paragraphs $writer $input.Description
                $writer.WriteEndElement()
                $writer.WriteEndElement()
            }
            $writer.WriteEndElement()

            $writer.WriteStartElement('command', 'returnValues', $cmd)
            foreach ($output in $page.Outputs) {
                $writer.WriteStartElement('command', 'returnValue', $cmd)
                $writer.WriteStartElement('dev', 'type', $dev)
                $writer.WriteElementString('maml', 'name', $maml, $output.TypeName)
                $writer.WriteEndElement()
                $writer.WriteStartElement('maml', 'description', $maml)
                ConvertTo-Paragraphs $writer $output.Description
                $writer.WriteEndElement()
                $writer.WriteEndElement()
            }
            $writer.WriteEndElement()

            $writer.WriteStartElement('command', 'examples', $cmd)
            foreach ($example in $page.Examples) {
                $writer.WriteStartElement('command', 'example', $cmd)
                $writer.WriteElementString('maml', 'title', $maml, "-------------------------- $($example.Title) --------------------------")
                $writer.WriteElementString('dev', 'code', $dev, $example.Code)
                $writer.WriteStartElement('dev', 'remarks', $dev)
                ConvertTo-Paragraphs $writer $example.Remarks
                $writer.WriteEndElement()
                $writer.WriteEndElement()
            }
            $writer.WriteEndElement()

            $writer.WriteStartElement('maml', 'relatedLinks', $maml)
            $links = [System.Collections.Generic.List[object]]::new()
            if ($ProjectUri) { $links.Add([pscustomobject]@{ Text = 'Online version:'; Uri = "$($ProjectUri.TrimEnd('/'))/blob/main/docs/help/$($info.Name).md" }) }
            foreach ($link in $page.RelatedLinks) { $links.Add($link) }
            if (-not ($links | Where-Object Text -eq 'about_AuroraSecurity')) { $links.Add([pscustomobject]@{ Text = 'about_AuroraSecurity'; Uri = '' }) }
            foreach ($link in $links) {
                $writer.WriteStartElement('maml', 'navigationLink', $maml)
                $writer.WriteElementString('maml', 'linkText', $maml, $link.Text)
                $writer.WriteElementString('maml', 'uri', $maml, $link.Uri)
                $writer.WriteEndElement()
            }
            $writer.WriteEndElement()
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally {
        $writer.Dispose()
    }
}

function Get-ParameterDefault {
    <#
    .SYNOPSIS
    Each parameter's default value as the code sets it (read from a fresh instance of the cmdlet), as help text.
    #>
    param([System.Management.Automation.CmdletInfo] $Command)
    $defaults = @{}
    $type = $Command.ImplementingType
    $instance = [Activator]::CreateInstance($type)
    try {
        foreach ($name in $Command.Parameters.Keys) {
            # The parameter's own property (a cmdlet's -Host hides PSCmdlet.Host, so look for the [Parameter] one).
            $property = $type.GetProperties() | Where-Object { $_.Name -eq $name -and $_.CanRead -and $_.IsDefined([System.Management.Automation.ParameterAttribute], $true) } | Select-Object -First 1
            if (-not $property) { continue }
            $defaults[$name] = Format-DefaultValue $property.GetValue($instance)
        }
    }
    finally {
        if ($instance -is [System.IDisposable]) { $instance.Dispose() }
    }
    $defaults
}

function Format-DefaultValue {
    param($Value)
    if ($null -eq $Value) { return 'None' }
    if ($Value -is [System.Management.Automation.SwitchParameter]) { return $Value.IsPresent.ToString() }
    if ($Value -is [System.Management.Automation.PSCredential]) { return 'None' }
    if ($Value -is [string]) { return $(if ($Value.Length -eq 0) { 'None' } else { $Value }) }
    if ($Value -is [System.Collections.IEnumerable]) {
        $items = @($Value | ForEach-Object { [System.Convert]::ToString($_, [cultureinfo]::InvariantCulture) })
        return $(if ($items.Count -eq 0) { 'None' } else { $items -join ', ' })
    }
    [System.Convert]::ToString($Value, [cultureinfo]::InvariantCulture)
}

function Test-SupportsWildcards {
    param([System.Management.Automation.ParameterMetadata] $Parameter)
    [bool]($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
}

function Get-PipelineText {
    param([System.Management.Automation.ParameterMetadata] $Parameter)
    $attributes = @($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
    $byValue = [bool]($attributes | Where-Object ValueFromPipeline)
    $byName = [bool]($attributes | Where-Object ValueFromPipelineByPropertyName)
    if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' }
    elseif ($byValue) { 'True (ByValue)' }
    elseif ($byName) { 'True (ByPropertyName)' }
    else { 'False' }
}

function Get-HelpTypeName {
    # Nullable<T> reads as T: help shows what the user types, not the CLR wrapper.
    param([type] $Type)
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { $underlying } else { $Type }
}

function Get-DerivedInput {
    <#
    .SYNOPSIS
    What the command takes from the pipeline, from its parameters: one entry per type, naming the parameters.
    #>
    param([System.Management.Automation.CmdletInfo] $Command)
    $byType = [ordered]@{}
    foreach ($name in $Command.Parameters.Keys) {
        $meta = $Command.Parameters[$name]
        $attributes = @($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
        $byValue = [bool]($attributes | Where-Object ValueFromPipeline)
        $byName = [bool]($attributes | Where-Object ValueFromPipelineByPropertyName)
        if (-not ($byValue -or $byName)) { continue }
        $type = Get-HelpTypeName $meta.ParameterType
        $elementType = if ($type.IsArray) { $type.GetElementType() } else { $type }
        $key = $elementType.FullName
        if (-not $byType.Contains($key)) { $byType[$key] = [System.Collections.Generic.List[string]]::new() }
        $names = @($name) + @($meta.Aliases)
        if ($byValue) { $byType[$key].Add("-$name from the pipeline") }
        if ($byName) { $byType[$key].Add("-$name by property name ($($names -join ', '))") }
    }
    if ($byType.Count -eq 0) { return , [pscustomobject]@{ TypeName = 'None'; Description = 'This command takes no pipeline input.' } }
    foreach ($key in $byType.Keys) {
        [pscustomobject]@{ TypeName = $key; Description = ($byType[$key] -join '; ') + '.' }
    }
}

function Write-ParameterElement {
    param($Writer, [string] $Name, [type] $Type, [bool] $Mandatory, [int] $Position, [bool] $Pipeline, [string] $Description,
        [string[]] $Aliases = @(), [string] $DefaultValue = 'None', [bool] $Globbing, [string] $PipelineText)
    $maml = 'http://schemas.microsoft.com/maml/2004/10'
    $cmd = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    $dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
    $shown = Get-HelpTypeName $Type
    $Writer.WriteStartElement('command', 'parameter', $cmd)
    $Writer.WriteAttributeString('required', $Mandatory.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', $shown.IsArray.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', $Globbing.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $(if ($PipelineText) { $PipelineText } else { $Pipeline.ToString() }))
    $Writer.WriteAttributeString('position', $(if ($Position -ge 0) { [string]($Position + 1) } else { 'named' }))
    $Writer.WriteAttributeString('aliases', $(if (@($Aliases).Count -gt 0) { @($Aliases) -join ', ' } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $maml, $Name)
    $Writer.WriteStartElement('maml', 'description', $maml)
    ConvertTo-Paragraphs $Writer $Description
    $Writer.WriteEndElement()
    $typeName = if ($shown -eq [System.Management.Automation.SwitchParameter]) { 'SwitchParameter' } else { $shown.Name }
    $Writer.WriteStartElement('command', 'parameterValue', $cmd)
    $Writer.WriteAttributeString('required', $(if ($shown -eq [System.Management.Automation.SwitchParameter]) { 'false' } else { 'true' }))
    $Writer.WriteAttributeString('variableLength', $shown.IsArray.ToString().ToLowerInvariant())
    $Writer.WriteString($typeName)
    $Writer.WriteEndElement()
    $Writer.WriteStartElement('dev', 'type', $dev)
    $Writer.WriteElementString('maml', 'name', $maml, $shown.FullName)
    $Writer.WriteEndElement()
    $Writer.WriteElementString('dev', 'defaultValue', $dev, $DefaultValue)
    $Writer.WriteEndElement()
}

Export-ModuleMember -Function Read-HelpPage, Write-MamlHelp, Get-ParameterDefault, Format-DefaultValue
