using System.Security.Cryptography;

namespace Siuss.Tests.Interop;

/// <summary>
/// The node-soap client in <c>Interop/node</c> (copied beside the test assembly) and its npm
/// dependencies, installed once per version of <c>package.json</c> in a cache folder outside the
/// repository and the build output (so <c>dotnet clean</c> and fresh clones do not re-download):
/// <c>${SIUSS_INTEROP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/siuss-interop}/node-{sha256(package.json)[..16]}</c>.
/// <c>.ci/install-interop-peers.sh</c> installs into the same folder with the same rule.
/// </summary>
public static class NodeSoapPeer
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    /// <summary>The folder holding <c>submit.js</c> and <c>package.json</c> next to the test assembly.</summary>
    public static string ScriptDirectory => Path.Combine(TestContext.CurrentContext.TestDirectory, "Interop", "node");

    /// <summary>Where the interop peers' downloads are cached.</summary>
    public static string CacheRoot
    {
        get
        {
            if (Environment.GetEnvironmentVariable("SIUSS_INTEROP_CACHE") is { Length: > 0 } explicitRoot) return explicitRoot;
            var cacheHome = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
                ? xdg
                : Path.Combine(Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(cacheHome, "siuss-interop");
        }
    }

    /// <summary>
    /// Makes sure node and node-soap are there, installing node-soap with npm when it is missing, and
    /// returns the <c>node_modules</c> folder to hand to node as <c>NODE_PATH</c>.
    /// </summary>
    public static async Task<string> EnsureInstalledAsync()
    {
        ExternalTool.Require("node");
        var packageJson = await File.ReadAllBytesAsync(Path.Combine(ScriptDirectory, "package.json"));
        var folder = Path.Combine(CacheRoot, "node-" + Convert.ToHexStringLower(SHA256.HashData(packageJson))[..16]);
        var modules = Path.Combine(folder, "node_modules");
        if (File.Exists(Path.Combine(modules, "soap", "package.json"))) return modules;

        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(modules, "soap", "package.json"))) return modules;
            var npm = ExternalTool.Require("npm");
            // Install beside the target and move it in whole, so a failed or concurrent install never leaves half a folder.
            Directory.CreateDirectory(CacheRoot);
            var staging = Directory.CreateDirectory(Path.Combine(CacheRoot, $"staging-{Guid.NewGuid():N}")).FullName;
            try
            {
                await File.WriteAllBytesAsync(Path.Combine(staging, "package.json"), packageJson);
                var install = await ExternalTool.RunAsync(npm, ["install", "--no-audit", "--no-fund", "--loglevel=error"], staging, TimeSpan.FromMinutes(5));
                if (install.ExitCode != 0)
                    ExternalTool.Unavailable($"npm could not install node-soap into {staging}; {ExternalTool.InstallHint}.{Environment.NewLine}{install.Describe()}");
                // A folder without node-soap in it is what a killed install leaves: replace it.
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
                try
                {
                    Directory.Move(staging, folder);
                }
                catch (IOException) when (File.Exists(Path.Combine(modules, "soap", "package.json")))
                {
                    // Another run installed it first; use theirs.
                }
            }
            finally
            {
                if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            }
            return modules;
        }
        finally
        {
            InstallLock.Release();
        }
    }
}
