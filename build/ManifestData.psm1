# Reads a module manifest's hashtable the way Import-Module does: in restricted language, where $PSEdition may choose
# between values (AuroraSecurity.psd1 picks its root module that way). Import-PowerShellDataFile refuses such a manifest.
function Read-ManifestData {
    param([Parameter(Mandatory)][string] $Path)
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$null, [ref]$errors)
    if ($errors) { throw "The manifest $Path does not parse: $($errors[0].Message)" }
    $script = $ast.GetScriptBlock()
    $script.CheckRestrictedLanguage([string[]]@(), [string[]]@('PSEdition', 'PSScriptRoot'), $false)
    $data = & $script
    if ($data -isnot [hashtable]) { throw "The manifest $Path does not hold a hashtable." }
    $data
}
Export-ModuleMember -Function Read-ManifestData
