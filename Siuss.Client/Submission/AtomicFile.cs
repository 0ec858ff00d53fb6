namespace Siuss.Client.Submission;

/// <summary>Writes a file so that a kill at any instant leaves either the old content or the new, never a mix.</summary>
public static class AtomicFile
{
    /// <summary>The suffix of temporary files; leftovers of a killed run are deleted by <see cref="DeleteLeftovers"/>.</summary>
    public const string TemporarySuffix = ".siuss-tmp";

    /// <summary>
    /// Writes <paramref name="bytes"/> to a temporary file in <paramref name="temporaryDirectory"/> (same file system as the
    /// target), flushes it to disk, then renames it over <paramref name="path"/>: a rename is atomic, a write is not.
    /// </summary>
    public static async Task WriteAsync(string path, byte[] bytes, string temporaryDirectory, CancellationToken ct = default)
    {
        Directory.CreateDirectory(temporaryDirectory);
        var temporary = Path.Combine(temporaryDirectory, $"{Path.GetFileName(path)}.{Guid.NewGuid():N}{TemporarySuffix}");
        await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        {
            await stream.WriteAsync(bytes, ct);
            // Flush to the device before the rename, so the name never points at content still in the page cache only.
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Deletes temporary files a killed run left behind (they were never renamed, so nothing refers to them).</summary>
    public static void DeleteLeftovers(string temporaryDirectory)
    {
        if (!Directory.Exists(temporaryDirectory)) return;
        foreach (var file in Directory.EnumerateFiles(temporaryDirectory, "*" + TemporarySuffix))
        {
            try { File.Delete(file); }
            catch (IOException) { /* another run may hold it; harmless */ }
        }
    }
}
