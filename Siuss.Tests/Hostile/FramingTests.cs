using System.Text;
using Siuss.Tests.Support;
using static Siuss.Tests.Support.HostileKit;

namespace Siuss.Tests.Hostile;

/// <summary>
/// A valid request is answered the same however TCP and HTTP cut it: the same signed SubmitFlow, with an XML
/// declaration, a comment or a byte order mark before the envelope, is sent split in two writes at every offset of its
/// first 256 bytes, and chunked with random chunk sizes. The first answer acquires the flow; every variant after it
/// gets the very same answer (the stored receipt), never a refusal.
/// </summary>
[TestFixture]
public sealed class FramingTests : HostileFixture
{
    public static IEnumerable<TestCaseData> Prologs()
    {
        yield return new TestCaseData("<?xml version=\"1.0\" encoding=\"utf-8\"?>", false).SetName("after an XML declaration");
        yield return new TestCaseData("<!-- sent by a proxy that flushes early -->", false).SetName("after a comment");
        yield return new TestCaseData("<?xml version=\"1.0\"?>\n", true).SetName("after a byte order mark and an XML declaration");
    }

    [TestCaseSource(nameof(Prologs))]
    public async Task The_same_envelope_gets_the_same_answer_however_it_is_split(string prolog, bool byteOrderMark)
    {
        var address = World.Register.BaseAddress;
        byte[] body = [.. byteOrderMark ? [0xEF, 0xBB, 0xBF] : Array.Empty<byte>(), .. Encoding.UTF8.GetBytes(prolog + Envelope(World))];
        var head = RawHttp.Head(address, "POST", "/AssistanceRecord.svc", RawHttp.SoapHeaders(SubmitAction, body.Length));

        var reference = await RawHttp.SendAsync(address, [head, body], pauseBetweenParts: false);
        Assert.That(reference.Status, Is.EqualTo(200), reference.ToString());
        Assert.That(reference.Text, Does.Contain("SubmitFlowResponse"));
        var submissions = await World.Register.CountAsync("SELECT COUNT(*) FROM submissions");

        var different = new List<string>();
        for (int split = 1; split <= Math.Min(256, body.Length - 1); split++)
        {
            // Head and the first part of the body in one segment, the rest in another.
            var answer = await RawHttp.SendAsync(address, [[.. head, .. body[..split]], body[split..]]);
            if (answer.Status != reference.Status || !answer.Body.SequenceEqual(reference.Body))
                different.Add($"split at {split}: {answer}");
        }

        var random = new Random(14);
        for (int variant = 0; variant < 40; variant++)
        {
            var chunkedHead = RawHttp.Head(address, "POST", "/AssistanceRecord.svc",
                [("Content-Type", "text/xml; charset=utf-8"), ("SOAPAction", $"\"{SubmitAction}\""), ("Transfer-Encoding", "chunked")]);
            var sizes = Enumerable.Range(0, body.Length).Select(_ => random.Next(1, variant % 2 == 0 ? 16 : 700)).ToList();
            var chunks = RawHttp.Chunked(body, sizes).ToList();
            // The first 64 chunks each in their own write (the prolog is in there), the rest in writes of 32 chunks.
            var answer = await RawHttp.SendAsync(address, [chunkedHead, .. chunks.Take(64), .. chunks.Skip(64).Chunk(32).Select(c => c.SelectMany(b => b).ToArray())]);
            if (answer.Status != reference.Status || !answer.Body.SequenceEqual(reference.Body))
                different.Add($"chunked variant {variant}: {answer}");
        }

        Assert.That(different, Is.Empty, "every framing gets the reference answer");
        Assert.That(await World.Register.CountAsync("SELECT COUNT(*) FROM submissions"), Is.EqualTo(submissions), "stored once");
    }
}
