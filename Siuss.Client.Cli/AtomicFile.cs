namespace Siuss.Client.Cli;

/// <summary>Writes a file so that a crash at any moment leaves either the old file or the whole new one, never a part.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to a temporary file beside <paramref name="path"/>, flushes it to disk, then moves it over <paramref name="path"/>.</summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        // Same folder, so the move is a rename on one file system; a unique name, so two runs never share it.
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                // On disk before the rename: otherwise a power loss could leave the new name on empty content.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Deletes the temporary files a killed writer left in <paramref name="directory"/> for files matching <paramref name="fileNamePattern"/> (e.g. <c>*.ricevuta.xml</c>).</summary>
    public static void RemoveLeftovers(string directory, string fileNamePattern)
    {
        if (!Directory.Exists(directory)) return;
        foreach (var leftover in Directory.EnumerateFiles(directory, $".{fileNamePattern}.*.tmp"))
            File.Delete(leftover);
    }
}
