# Build the one-folder bundle dist\SubsidyDesk\ on Windows (Linux: packaging/build.sh).
#
#   powershell -ExecutionPolicy Bypass -File packaging\build.ps1            build
#   powershell -ExecutionPolicy Bypass -File packaging\build.ps1 -SelfTest  build, then check it
#
# Needs 64-bit Python 3.11 from python.org (tick "Add python.exe to PATH", or pass -Python
# C:\...\python.exe). Creates .venv on first use and installs the pinned packages into it.
# Output: build\ (PyInstaller's work files) and dist\SubsidyDesk\ with SubsidyDesk.exe (the
# window, no console) and SubsidyDesk-cli.exe (console: --self-test and the command-line jobs).
# Copy the whole dist\SubsidyDesk folder to the office PC; see packaging\README.md.
param(
    [switch]$SelfTest,
    [string]$Python = "py -3.11"
)
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
# Chinese output from Python, whatever the console's code page. This script itself stays ASCII:
# Windows PowerShell 5.1 reads a script without a BOM in the ANSI code page.
$env:PYTHONIOENCODING = "utf-8"
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8

function Invoke-Checked {
    param([string]$Exe, [string[]]$Arguments)
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

$py = ".venv\Scripts\python.exe"
if (-not (Test-Path $py)) {
    $parts = $Python -split " "
    $launcher = $parts[0]
    $launcherArgs = @($parts | Select-Object -Skip 1) + @("-m", "venv", ".venv")
    Invoke-Checked $launcher $launcherArgs
}
Invoke-Checked $py @("-m", "pip", "install", "-q", "--upgrade", "pip")
Invoke-Checked $py @("-m", "pip", "install", "-q", "-c", "constraints.txt", "-e", ".[dev,package]")

$watch = [System.Diagnostics.Stopwatch]::StartNew()
Invoke-Checked $py @("-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
    "--distpath", "dist", "--workpath", "build", "packaging\subsidydesk.spec")
$watch.Stop()
$dist = "dist\SubsidyDesk"
$files = Get-ChildItem $dist -Recurse -File
$mb = [math]::Round(($files | Measure-Object Length -Sum).Sum / 1MB)
Write-Host ("Built {0}: {1} MB, {2} files, {3} s" -f $dist, $mb, $files.Count, [int]$watch.Elapsed.TotalSeconds)

if ($SelfTest) {
    # check_bundle.py runs SubsidyDesk-cli.exe --self-test (its output must say the self-test
    # passed) and SubsidyDesk.exe --self-test (no console: only its exit code tells) on a
    # fresh data directory, then upgrades a 0.1.0 database and checks catalogs and contents.
    Invoke-Checked $py @("packaging\check_bundle.py", $dist)
}
