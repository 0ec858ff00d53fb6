namespace Siuss.Client;

/// <summary>Writes a file so that a kill at any instant leaves either the old content or the new, never a mix.</summary>
public static class AtomicFile
{
    /// <summary>The suffix of temporary files; leftovers of a killed run are deleted by <see cref="DeleteLeftovers"/>.</summary>
    public const string TemporarySuffix = ".siuss-tmp";

    /// <summary>
    /// Writes <paramref name="bytes"/> to a temporary file in <paramref name="temporaryDirectory"/> (default: beside the
    /// target; it must be on the same file system), flushes it to disk, then renames it over <paramref name="path"/>:
    /// a rename is atomic, a write is not.
    /// </summary>
    public static async Task WriteAsync(string path, byte[] bytes, string? temporaryDirectory = null, CancellationToken ct = default)
    {
        var temporary = TemporaryPath(path, temporaryDirectory);
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(bytes, ct);
                // Flush to the device before the rename, so the name never points at content still in the page cache only.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>The synchronous form of <see cref="WriteAsync"/>.</summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes, string? temporaryDirectory = null)
    {
        var temporary = TemporaryPath(path, temporaryDirectory);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Deletes temporary files a killed run left in <paramref name="directory"/> (they were never renamed, so nothing refers to them).</summary>
    public static void DeleteLeftovers(string directory)
    {
        if (!Directory.Exists(directory)) return;
        foreach (var file in Directory.EnumerateFiles(directory, "*" + TemporarySuffix))
        {
            try { File.Delete(file); }
            catch (IOException) { /* another run may hold it; harmless */ }
        }
    }

    private static string TemporaryPath(string path, string? temporaryDirectory)
    {
        var directory = temporaryDirectory ?? Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        // A unique hidden name, so two runs never share one and listings of the folder do not show it.
        return Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}{TemporarySuffix}");
    }
}
