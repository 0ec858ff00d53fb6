using System.Net;
using Siuss.Tests.Support;

namespace Siuss.Tests.Integration;

/// <summary>
/// Liveness and readiness over real HTTP on a real register: readiness answers 503 with the reason while the database,
/// its schema or the spool folder fails, and 200 again once it is mended; liveness does not follow readiness.
/// </summary>
[TestFixture]
public sealed class HealthTests
{
    private RunningRegister _register = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task Start()
    {
        _register = await RunningRegister.StartAsync();
        _http = new HttpClient { BaseAddress = _register.BaseAddress };
    }

    [TearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _register.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string Text)> GetAsync(string path)
    {
        using var answer = await _http.GetAsync(path);
        return (answer.StatusCode, await answer.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_started_register_is_live_and_ready_and_the_documented_health_still_answers_ok()
    {
        Assert.That(await GetAsync("health/live"), Is.EqualTo((HttpStatusCode.OK, "Healthy\n")));
        Assert.That(await GetAsync("health/ready"), Is.EqualTo((HttpStatusCode.OK, "Healthy\n")));
        Assert.That(await GetAsync("health"), Is.EqualTo((HttpStatusCode.OK, "ok")));
    }

    [Test]
    public async Task Readiness_fails_with_the_reason_while_the_database_file_is_unreadable_and_recovers()
    {
        // Tests may run as root, where file permissions do not stop a read: the file is put aside and a folder takes
        // its name, which no user can open as a database.
        var file = Path.Combine(_register.DataDirectory, "siuss.db");
        var aside = file + ".aside";
        File.Move(file, aside);
        Directory.CreateDirectory(file);
        (HttpStatusCode Status, string Text) ready, live;
        try
        {
            ready = await GetAsync("health/ready");
            live = await GetAsync("health/live");
        }
        finally
        {
            Directory.Delete(file);
            File.Move(aside, file);
        }

        Assert.Multiple(() =>
        {
            Assert.That(ready.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), ready.Text);
            Assert.That(ready.Text, Does.StartWith("Unhealthy\n"), ready.Text);
            Assert.That(ready.Text, Does.Contain("database: database unreachable: "), ready.Text);
            Assert.That(ready.Text, Does.Not.Contain("receipt-key").And.Not.Contain("spool-folder"), "only the failing check is named");
            Assert.That(live.Status, Is.EqualTo(HttpStatusCode.OK), "liveness does not restart a register whose database is away");
        });
        Assert.That(await GetAsync("health/ready"), Is.EqualTo((HttpStatusCode.OK, "Healthy\n")), "ready again once the file is back");
    }

    [Test]
    public async Task Readiness_fails_while_a_migration_script_is_not_applied()
    {
        var journal = await _register.CountAsync("SELECT COUNT(*) FROM SchemaVersions");
        await _register.CountAsync("CREATE TABLE held_back AS SELECT * FROM SchemaVersions WHERE ScriptName = (SELECT MAX(ScriptName) FROM SchemaVersions)");
        await _register.CountAsync("DELETE FROM SchemaVersions WHERE ScriptName IN (SELECT ScriptName FROM held_back)");

        var ready = await GetAsync("health/ready");

        await _register.CountAsync("INSERT INTO SchemaVersions SELECT * FROM held_back");
        Assert.Multiple(() =>
        {
            Assert.That(ready.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), ready.Text);
            Assert.That(ready.Text, Does.Contain("database: database not migrated: 1 migration script(s) not applied"), ready.Text);
        });
        Assert.That(await _register.CountAsync("SELECT COUNT(*) FROM SchemaVersions"), Is.EqualTo(journal));
        Assert.That((await GetAsync("health/ready")).Status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Readiness_fails_while_the_spool_folder_is_not_writable()
    {
        var spool = Path.Combine(_register.DataDirectory, "spool");
        Assert.That(Directory.Exists(spool), Is.True, "the spool folder is under the data folder by default");
        Directory.Delete(spool);
        await File.WriteAllTextAsync(spool, "a file where the folder was");
        (HttpStatusCode Status, string Text) ready;
        try
        {
            ready = await GetAsync("health/ready");
        }
        finally
        {
            File.Delete(spool);
            Directory.CreateDirectory(spool);
        }

        Assert.That(ready.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), ready.Text);
        Assert.That(ready.Text, Does.Contain("spool-folder: spool folder not writable: "), ready.Text);
        Assert.That((await GetAsync("health/ready")).Status, Is.EqualTo(HttpStatusCode.OK));
    }
}
