using Siuss.Contracts.Reconciliation;

namespace Siuss.Tests.Unit;

/// <summary>
/// Pins the published record digest to fixed vectors (computed outside .NET from the canonical text), so a faster
/// implementation can never change a digest that bodies already hold.
/// </summary>
[TestFixture]
public sealed class RecordDigestTests
{
    private static RecordContent Full() => new()
    {
        CodiceFiscale = "RSSMRA85T10A562S", CodicePrestazione = "A1.06", ProtocolloDomanda = "PROT-1", DataRiferimento = new(2026, 1, 15),
        DenominazionePrestazione = "Assistenza è domiciliare €", PresenzaProvaMezzi = "1", CaratterePrestazione = "1",
        NumeroProtocolloDSU = "INPS-ISEE-2025-12345678A-01", AnnoProtocolloDSU = "2025", DataDSU = new(2025, 12, 1),
        DataEvento = new(2026, 1, 20), DataInizioPrestazione = new(2026, 1, 15), DataFinePrestazione = new(2026, 12, 31),
        DataErogazionePrestazione = new(2026, 2, 1), ImportoPrestazione = 1800.50m, PeriodoErogazione = 12, ImportoMensile = 150.50m,
        ImportoQuotaEnte = 100.00m, ImportoQuotaUtente = -0.25m, ImportoQuotaSSN = 0.00m, ImportoQuotaRichiesta = 12345678901234567.1234567891m,
        ImportoSogliaISEE = 0.0000000001m, OreServizioMensile = 7.250m, PresaCarico = "1", AreaUtenza = "F",
    };

    private static RecordContent Minimal(string denominazione = "x") => new()
    {
        CodiceFiscale = "12345678903", CodicePrestazione = "A1.06", ProtocolloDomanda = "P",
        DenominazionePrestazione = denominazione, PresenzaProvaMezzi = "4", PresaCarico = "2",
    };

    [Test]
    public void Every_field_present_gives_the_published_canonical_text_and_digest()
    {
        var content = Full();
        Assert.Multiple(() =>
        {
            Assert.That(RecordDigest.Canonical(content), Is.EqualTo(
                "CodiceFiscale=RSSMRA85T10A562S\nCodicePrestazione=A1.06\nProtocolloDomanda=PROT-1\nDataRiferimento=2026-01-15\n" +
                "DenominazionePrestazione=Assistenza è domiciliare €\nPresenzaProvaMezzi=1\nCaratterePrestazione=1\n" +
                "NumeroProtocolloDSU=INPS-ISEE-2025-12345678A-01\nAnnoProtocolloDSU=2025\nDataDSU=2025-12-01\nDataEvento=2026-01-20\n" +
                "DataInizioPrestazione=2026-01-15\nDataFinePrestazione=2026-12-31\nDataErogazionePrestazione=2026-02-01\n" +
                "ImportoPrestazione=1800.5\nPeriodoErogazione=12\nImportoMensile=150.5\nImportoQuotaEnte=100\nImportoQuotaUtente=-0.25\n" +
                "ImportoQuotaSSN=0\nImportoQuotaRichiesta=12345678901234567.1234567891\nImportoSogliaISEE=0.0000000001\n" +
                "OreServizioMensile=7.25\nPresaCarico=1\nAreaUtenza=F\n"));
            Assert.That(RecordDigest.Compute(content), Is.EqualTo("3ce3bf1d13f713ade3d00eefdc801fd910056f282dad2f1c976eb15a04a1a8ac"));
        });
    }

    [Test]
    public void Absent_fields_are_left_out()
    {
        Assert.That(RecordDigest.Compute(Minimal()), Is.EqualTo("9a3044683103820fd634f6a43138a415f01c5bb491ceb334552b0362e59b7e03"));
    }

    [Test]
    public void A_long_text_field_is_hashed_whole()
    {
        Assert.That(RecordDigest.Compute(Minimal(new string('è', 3000))), Is.EqualTo("10cbc43e12468b96c887861c6c60ccb8ff1a3775fc229e5a52c4712e281fc6ae"));
    }
}
