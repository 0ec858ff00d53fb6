using System.Net.Sockets;
using System.Text;
using Siuss.Tests.Support;

namespace Siuss.Tests.Hostile;

/// <summary>
/// No personal data left behind by a crash: a register SIGKILLed while a large flow is arriving leaves its spooled
/// bytes in its own spool folder (delete-on-close never runs), and the next start empties that folder before listening.
/// </summary>
[TestFixture]
public sealed class SpoolSweepTests
{
    [Test]
    public async Task A_register_killed_mid_upload_finds_its_spool_folder_emptied_at_the_next_start()
    {
        var work = Directory.CreateTempSubdirectory("siuss-spool-").FullName;
        var spool = Path.Combine(work, "data", "spool");
        using var host = new HostProcess(work);
        try
        {
            await host.StartAsync();
            if (!OperatingSystem.IsWindows())
                Assert.That(File.GetUnixFileMode(spool), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute),
                    "the spool folder is readable by the register's user only");

            // A large flow, half sent: past the 64 KiB the front door holds in memory, so it waits in a spool file.
            using var client = new TcpClient();
            await client.ConnectAsync(host.BaseAddress.Host, host.BaseAddress.Port);
            var stream = client.GetStream();
            const int declared = 4 * 1024 * 1024;
            var head = $"POST /AssistanceRecord.svc HTTP/1.1\r\nHost: {host.BaseAddress.Authority}\r\nContent-Type: text/xml; charset=utf-8\r\n" +
                       $"SOAPAction: \"urn:siuss:service:v1/IAssistanceRecordService/SubmitFlow\"\r\nContent-Length: {declared}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("<CodiceFiscale>RSSMRA85T10A562S</CodiceFiscale>", 1024)));
            for (int sent = 0; sent < declared / 2; sent += chunk.Length)
                await stream.WriteAsync(chunk);
            await stream.FlushAsync();

            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (SpooledBytes(spool) < 256 * 1024 && DateTime.UtcNow < deadline)
                await Task.Delay(50);
            Assert.That(SpooledBytes(spool), Is.GreaterThanOrEqualTo(256 * 1024), $"the upload is spooled in the register's folder\n{host.Output}");

            host.Kill();
            Assert.That(Directory.EnumerateFiles(spool), Is.Not.Empty, "a SIGKILL leaves the spooled flow behind (what the sweep is for)");

            await host.StartAsync();
            Assert.That(Directory.EnumerateFileSystemEntries(spool), Is.Empty, $"emptied before the register listens again\n{host.Output}");
        }
        finally
        {
            host.Kill();
            Directory.Delete(work, recursive: true);
        }
    }

    private static long SpooledBytes(string folder) =>
        Directory.Exists(folder) ? new DirectoryInfo(folder).EnumerateFiles().Sum(f => f.Length) : 0;
}
