using Microsoft.Extensions.Options;
using Siuss.Service.Options;

namespace Siuss.Host.Web;

/// <summary>
/// The folder the register owns for request bodies and flows too large for memory (<c>Siuss:SpoolDirectory</c>, by
/// default <c>{DataDirectory}/spool</c>). Spooled files are deleted on close, but a process that is killed never
/// closes them: they would stay for ever, full of fiscal codes. So the folder is the register's alone, readable by
/// its owner only, and emptied at every start (<see cref="Prepare"/>), before the register listens.
/// </summary>
public sealed class SpoolFolder(IOptions<SiussOptions> options)
{
    /// <summary>The folder's absolute path.</summary>
    public string Path { get; } = options.Value.SpoolDirectoryFullPath;

    /// <summary>Creates the folder (owner only) and deletes whatever a killed process left in it; returns how many files.</summary>
    public int Prepare()
    {
        var folder = OperatingSystem.IsWindows()
            ? Directory.CreateDirectory(Path)
            : Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        int swept = 0;
        foreach (var entry in folder.EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo directory) directory.Delete(recursive: true);
            else entry.Delete();
            swept++;
        }
        return swept;
    }

    /// <summary>Null when a file can be created, written and deleted in the folder; otherwise why not.</summary>
    public string? WriteProblem()
    {
        var probe = System.IO.Path.Combine(Path, $".probe-{Guid.NewGuid():N}");
        try
        {
            using (var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
                stream.WriteByte(0);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"spool folder not writable: {e.Message}";
        }
    }
}
