# Reads the cmdlet help pages in docs/help (one markdown page per cmdlet) and writes the MAML file
# PowerShell's Get-Help reads. The pages are the single source: a reader sees them on the repository's
# web page, Get-Help shows the same text.
#
# Page shape:
#   # Verb-Noun
#   ## Synopsis / ## Description / ## Parameters (### -Name per parameter) / ## Examples
#   (### Example N: title, a ```powershell fence, then remarks) / ## Outputs (### TypeName, then text)

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
        Outputs     = [System.Collections.Generic.List[object]]::new()
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
            'Outputs' { if ($current) { $current.Description = $text } }
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
        [Parameter(Mandatory)][string] $OutputPath
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
            $writer.WriteStartElement('command', 'syntax', $cmd)
            foreach ($set in $info.ParameterSets) {
                $writer.WriteStartElement('command', 'syntaxItem', $cmd)
                $writer.WriteElementString('maml', 'name', $maml, $info.Name)
                foreach ($p in $set.Parameters | Where-Object { $common -notcontains $_.Name }) {
                    Write-ParameterElement $writer $p.Name $p.ParameterType $p.IsMandatory $p.Position ($p.ValueFromPipeline -or $p.ValueFromPipelineByPropertyName) $page.Parameters[$p.Name]
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
                Write-ParameterElement $writer $name $meta.ParameterType $mandatory $(if ($null -eq $position) { -2147483648 } else { $position }) $pipeline $page.Parameters[$name]
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
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally {
        $writer.Dispose()
    }
}

function Write-ParameterElement {
    param($Writer, [string] $Name, [type] $Type, [bool] $Mandatory, [int] $Position, [bool] $Pipeline, [string] $Description)
    $maml = 'http://schemas.microsoft.com/maml/2004/10'
    $cmd = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    $dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
    $Writer.WriteStartElement('command', 'parameter', $cmd)
    $Writer.WriteAttributeString('required', $Mandatory.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', 'false')
    $Writer.WriteAttributeString('pipelineInput', $Pipeline.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('position', $(if ($Position -ge 0) { [string]($Position + 1) } else { 'named' }))
    $Writer.WriteElementString('maml', 'name', $maml, $Name)
    $Writer.WriteStartElement('maml', 'description', $maml)
    ConvertTo-Paragraphs $Writer $Description
    $Writer.WriteEndElement()
    $typeName = if ($Type -eq [System.Management.Automation.SwitchParameter]) { 'SwitchParameter' } else { $Type.Name }
    $Writer.WriteElementString('command', 'parameterValue', $cmd, $typeName)
    $Writer.WriteStartElement('dev', 'type', $dev)
    $Writer.WriteElementString('maml', 'name', $maml, $Type.FullName)
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()
}

Export-ModuleMember -Function Read-HelpPage, Write-MamlHelp
