using System.Xml.Schema;
using Siuss.Service.Flows;
using Siuss.Service.Rules;

namespace Siuss.Tests.Unit;

/// <summary>
/// Each SINBA rule with a record that keeps it and one that breaks it, starting from a valid
/// record (an 8-year-old at home in Lazio) and changing only what the case is about.
/// </summary>
[TestFixture]
public sealed class SinbaRulesTests
{
    private static readonly DateOnly ReceiptDate = new(2025, 5, 20);
    private static readonly RuleContext Context = new(ReceiptDate, new BenefitCodeTable(BenefitCodeTable.Seed()));
    private static readonly Lazy<XmlSchemaSet> Schemas = new(() => FlowSchemas.Compile("SINBA.xsd"));

    private static SinbaRecord Valid(Action<SinbaRecord>? change = null)
    {
        var r = new SinbaRecord
        {
            Progressivo = 1,
            IdBeneficiario = "RM-MIN-2024-000117",
            MinoreStranieroNoAcc = "2", CondizioneMinore = "1", LuogoVita = "1", ScuolaFrequentata = "5", CondizioneLavoro = "1",
            Disabilita = "2",
            CodiceCittadinanzaPadre = "380", CodiceCittadinanzaMadre = "380",
            DataPrimaSegnalazione = new MeseAnno(2024, 3), FonteSegnalazione = "13", ValutazioneMinore = "2", ValutazioneFamigliaMinore = "6",
            SegnalazioneAutoritaGiudiziaria = "2", ProvvedimentoGiudiziario = "2",
            NumeroComponentiISEE = 4, FasciaEtaBeneficiario = "3", FasciaISEEBeneficiario = "3", AnnoNascita = "2017",
            CodiceRegioneResidenza = "12", CodiceNazioneResidenza = "380",
        };
        r.CodiciPrestazione.Add("A2.02");
        r.ComposizioneFamiglia.AddRange(["1", "2", "3"]);
        change?.Invoke(r);
        return r;
    }

    private static List<RuleViolation> Check(Action<SinbaRecord>? change = null) => SinbaRules.Check(Valid(change), Context);

    private static List<string> Codes(Action<SinbaRecord> change) => Check(change).Select(v => v.Code).ToList();

    private static void JudicialMeasure(SinbaRecord r)
    {
        r.ProvvedimentoGiudiziario = "1";
        r.DataProvvedimentoGiudiziario = new MeseAnno(2024, 6);
        r.AutoritaProvvedimento = "2";
        r.TipoProvvedimentoGiudiziario = "7";
    }

    private static void FosterCare(SinbaRecord r)
    {
        r.LuogoVita = "3";
        r.FormaInterventoAffido = "1";
        r.TipoInterventoAffido = "2";
        r.DurataAffido = "1";
        r.CarattereAffido = "1";
    }

    private static void Placement(SinbaRecord r)
    {
        r.LuogoVita = "4";
        r.CarattereInserimentoResidenziale = "7";
        r.FormaInserimentoResidenziale = "1";
        r.TipoInserimentoResidenziale = "2";
    }

    [Test]
    public void The_baseline_record_breaks_no_rule() => Assert.That(Check(), Is.Empty);

    // ------------------------------------------------------------------ (d) anonymity

    [TestCase("RSSMRA85T10A562S", Description = "a personal fiscal code")]
    [TestCase("rssmra85t10a562s", Description = "in lower case")]
    [TestCase("RSSMRA85T10A56NH", Description = "with omocodia")]
    [TestCase("RM-RSSMRA85T10A562S", Description = "embedded in a longer code")]
    [TestCase("ＲＳＳＭＲＡ８５Ｔ１０Ａ５６２Ｓ", Description = "in fullwidth letters and digits")]
    [TestCase("RSSМRА85T10А562S", Description = "with Cyrillic look-alikes (М, А)")]
    [TestCase("RSSMRΑ85Τ10Α562S", Description = "with Greek look-alikes (Α, Τ)")]
    [TestCase("RSS.MRA.85T10.A562S", Description = "with separators")]
    [TestCase("rss mra 85t10 a562s", Description = "with spaces, in lower case")]
    [TestCase("𝐑𝐒𝐒𝐌𝐑𝐀85𝐓10𝐀562𝐒", Description = "in mathematical bold letters")]
    [TestCase("012.345.678.97", Description = "an 11-digit code with separators")]
    [TestCase("０１２３４５６７８９７", Description = "an 11-digit code in fullwidth digits")]
    public void A_fiscal_code_as_IDBeneficiario_is_refused_without_repeating_it(string id)
    {
        var violations = Check(r => r.IdBeneficiario = id);

        Assert.That(violations.Select(v => v.Code), Is.EqualTo(new[] { RuleCodes.SinbaIdIsFiscalCode }));
        Assert.That(violations.Single().Field, Is.EqualTo("IDBeneficiario"));
        Assert.That(violations.Single().Message, Does.Not.Contain(id.Trim()).IgnoreCase);
        Assert.That(RuleSeverities.Default.Of(violations.Single().Code), Is.EqualTo(RuleSeverity.Refuse), "the law (DM 206/2014 art. 5) refuses it");
    }

    // One anonymous 11-digit code in ten has a valid check digit by chance: a policy warning, never a refusal by default.
    [TestCase("01234567897", Description = "an 11-digit code with a valid check digit")]
    [TestCase("01234567897     ", Description = "padded as CFOperatore may be")]
    public void An_11_digit_IDBeneficiario_with_a_valid_check_digit_only_warns_without_repeating_it(string id)
    {
        var violations = Check(r => r.IdBeneficiario = id);

        Assert.That(violations.Select(v => v.Code), Is.EqualTo(new[] { RuleCodes.SinbaIdMayBeFiscalCode }));
        Assert.That(violations.Single().Message, Does.Not.Contain(id.Trim()));
        Assert.That(RuleSeverities.Default.Of(violations.Single().Code), Is.EqualTo(RuleSeverity.Warn));
    }

    [TestCase("RM-MIN-2024-000117")]
    [TestCase("RSSMRA85T10A562T", Description = "fiscal-code shaped, wrong check character")]
    [TestCase("01234567890", Description = "11 digits, wrong check digit")]
    [TestCase("0123456789712", Description = "13 digits: an 11-digit code is only looked for as the whole value")]
    [TestCase("7")]
    [TestCase("Минск-2024-117", Description = "Cyrillic that folds to no fiscal code")]
    [TestCase("ＲＭ－ＭＩＮ－２０２４", Description = "fullwidth, not a fiscal code")]
    public void An_anonymous_code_is_accepted(string id) => Assert.That(Check(r => r.IdBeneficiario = id), Is.Empty);

    [Test]
    public void The_fiscal_code_check_uses_the_project_s_check_character() =>
        Assert.That(SinbaRules.ContainsFiscalCode("RSSMRA85T10A56N" + FiscalCode.PersonalCheckCharacter("RSSMRA85T10A56N")), Is.True);

    [Test]
    public void Nation_and_citizenship_codes_are_ISO_3166_or_990_for_a_citizenship()
    {
        Assert.That(Check(r => { r.CodiceCittadinanzaPadre = "990"; r.CodiceCittadinanzaMadre = "642"; }), Is.Empty);
        Assert.That(Codes(r => r.CodiceCittadinanzaMadre = "000"), Is.EqualTo(new[] { RuleCodes.NationCodeUnknown }));
        Assert.That(Codes(r => { r.CodiceNazioneResidenza = "990"; r.CodiceRegioneResidenza = null; }), Is.EqualTo(new[] { RuleCodes.NationCodeUnknown }));
        Assert.That(OfficialCodeLists.Iso3166Numeric, Has.Count.GreaterThanOrEqualTo(249).And.Contains("380").And.Contains("788"));
    }

    [Test]
    public void A_blank_IDBeneficiario_is_reported() =>
        Assert.That(Codes(r => r.IdBeneficiario = "   "), Is.EqualTo(new[] { RuleCodes.SinbaIdBlank }));

    // ------------------------------------------------------------------ (a) judicial report and measure

    [Test]
    public void A_report_to_the_judicial_authority_needs_its_date()
    {
        Assert.That(Check(r => { r.SegnalazioneAutoritaGiudiziaria = "1"; r.DataSegnalazione = new MeseAnno(2024, 5); }), Is.Empty);
        Assert.That(Codes(r => r.SegnalazioneAutoritaGiudiziaria = "1"), Is.EqualTo(new[] { RuleCodes.SinbaDataSegnalazioneRequired }));
    }

    [Test]
    public void DataSegnalazione_without_a_report_is_refused() =>
        Assert.That(Codes(r => r.DataSegnalazione = new MeseAnno(2024, 5)), Is.EqualTo(new[] { RuleCodes.SinbaDataSegnalazioneNotAllowed }));

    [Test]
    public void The_report_to_the_judicial_authority_cannot_precede_the_first_report()
    {
        Assert.That(Check(r => { r.SegnalazioneAutoritaGiudiziaria = "1"; r.DataSegnalazione = new MeseAnno(2024, 3); }), Is.Empty, "same month");
        Assert.That(Codes(r => { r.SegnalazioneAutoritaGiudiziaria = "1"; r.DataSegnalazione = new MeseAnno(2024, 2); }),
            Is.EqualTo(new[] { RuleCodes.SinbaDataSegnalazioneBeforeFirstReport }));
    }

    [Test]
    public void A_judicial_measure_may_precede_the_first_report()
    {
        // e.g. a custody order on separation years before the family reached the social services.
        Assert.That(Check(r => { JudicialMeasure(r); r.DataProvvedimentoGiudiziario = new MeseAnno(2019, 1); r.TipoProvvedimentoGiudiziario = "6"; }), Is.Empty);
    }

    [Test]
    public void A_judicial_measure_needs_its_date_authority_and_kind_but_not_PotestaTutela()
    {
        Assert.That(Check(JudicialMeasure), Is.Empty);
        var violations = Check(r => r.ProvvedimentoGiudiziario = "1");
        Assert.That(violations.Select(v => (v.Code, v.Field)), Is.EqualTo(new[]
        {
            (RuleCodes.SinbaProvvedimentoDetailRequired, "DataProvvedimentoGiudiziario"),
            (RuleCodes.SinbaProvvedimentoDetailRequired, "AutoritaProvvedimento"),
            (RuleCodes.SinbaProvvedimentoDetailRequired, "TipoProvvedimentoGiudiziario"),
        }));
    }

    [TestCase("DataProvvedimentoGiudiziario")]
    [TestCase("AutoritaProvvedimento")]
    [TestCase("PotestaTutela")]
    [TestCase("TipoProvvedimentoGiudiziario")]
    public void Measure_details_without_a_judicial_measure_are_refused(string field)
    {
        var violations = Check(r =>
        {
            switch (field)
            {
                case "DataProvvedimentoGiudiziario": r.DataProvvedimentoGiudiziario = new MeseAnno(2024, 6); break;
                case "AutoritaProvvedimento": r.AutoritaProvvedimento = "2"; break;
                case "PotestaTutela": r.PotestaTutela = "3"; break;
                default: r.TipoProvvedimentoGiudiziario = "7"; break;
            }
        });
        Assert.That(violations.Select(v => (v.Code, v.Field)), Is.EqualTo(new[] { (RuleCodes.SinbaProvvedimentoDetailNotAllowed, field) }));
    }

    [Test]
    public void A_judicial_foster_care_or_placement_needs_a_judicial_measure()
    {
        Assert.That(Check(r => { FosterCare(r); JudicialMeasure(r); r.FormaInterventoAffido = "2"; }), Is.Empty);
        Assert.That(Check(r => { Placement(r); JudicialMeasure(r); r.FormaInserimentoResidenziale = "2"; }), Is.Empty);
        Assert.That(Check(r => { FosterCare(r); r.FormaInterventoAffido = "2"; }).Select(v => (v.Code, v.Field)),
            Is.EqualTo(new[] { (RuleCodes.SinbaJudicialFormWithoutMeasure, "FormaInterventoAffido") }));
        Assert.That(Check(r => { Placement(r); r.FormaInserimentoResidenziale = "2"; }).Select(v => (v.Code, v.Field)),
            Is.EqualTo(new[] { (RuleCodes.SinbaJudicialFormWithoutMeasure, "FormaInserimentoResidenziale") }));
    }

    // ------------------------------------------------------------------ (a) foster care

    [Test]
    public void A_foster_care_is_described_whole()
    {
        Assert.That(Check(FosterCare), Is.Empty);
        Assert.That(Check(r => { FosterCare(r); r.DurataAffido = null; }).Select(v => (v.Code, v.Field)),
            Is.EqualTo(new[] { (RuleCodes.SinbaAffidoIncomplete, "DurataAffido") }));
    }

    [Test]
    public void An_outcome_alone_does_not_describe_a_foster_care() =>
        Assert.That(Codes(r => r.EsitoAffido = "1"), Is.EqualTo(Enumerable.Repeat(RuleCodes.SinbaAffidoIncomplete, 4)));

    [Test]
    public void A_child_with_a_foster_family_needs_the_foster_care_attributes() =>
        Assert.That(Codes(r => r.LuogoVita = "3"), Is.EqualTo(new[] { RuleCodes.SinbaAffidoRequired }));

    [Test]
    public void A_court_order_of_family_foster_care_needs_the_foster_care_attributes()
    {
        Assert.That(Codes(r => { JudicialMeasure(r); r.TipoProvvedimentoGiudiziario = "4"; }), Is.EqualTo(new[] { RuleCodes.SinbaAffidoRequired }));
        Assert.That(Check(r => { JudicialMeasure(r); FosterCare(r); r.TipoProvvedimentoGiudiziario = "4"; r.FormaInterventoAffido = "2"; }), Is.Empty);
    }

    [Test]
    public void An_ongoing_full_time_residential_foster_care_needs_the_child_with_relatives_or_foster_family()
    {
        Assert.That(Check(r => { FosterCare(r); r.LuogoVita = "2"; r.TipoInterventoAffido = "1"; }), Is.Empty, "with relatives");
        Assert.That(Codes(r => { FosterCare(r); r.LuogoVita = "1"; }), Is.EqualTo(new[] { RuleCodes.SinbaAffidoNotAllowed }));
    }

    [TestCase("EsitoAffido", Description = "ended: the child went home")]
    [TestCase("CarattereAffido", Description = "daytime foster care")]
    [TestCase("DurataAffido", Description = "part-time foster care")]
    public void Foster_care_attributes_are_allowed_at_home_when_the_foster_care_ended_or_is_not_residential(string field)
    {
        Assert.That(Check(r =>
        {
            FosterCare(r);
            r.LuogoVita = "1";
            switch (field)
            {
                case "EsitoAffido": r.EsitoAffido = "1"; break;
                case "CarattereAffido": r.CarattereAffido = "2"; break;
                default: r.DurataAffido = "2"; break;
            }
        }), Is.Empty);
    }

    // ------------------------------------------------------------------ (a) residential placement

    [Test]
    public void A_residential_placement_is_described_whole()
    {
        Assert.That(Check(Placement), Is.Empty);
        Assert.That(Check(r => { Placement(r); r.TipoInserimentoResidenziale = null; }).Select(v => (v.Code, v.Field)),
            Is.EqualTo(new[] { (RuleCodes.SinbaInserimentoIncomplete, "TipoInserimentoResidenziale") }));
        Assert.That(Codes(r => r.EsitoInserimentoStruttura = "1"), Is.EqualTo(Enumerable.Repeat(RuleCodes.SinbaInserimentoIncomplete, 3)));
    }

    [Test]
    public void A_child_in_a_social_residential_structure_needs_the_placement_attributes() =>
        Assert.That(Codes(r => r.LuogoVita = "4"), Is.EqualTo(new[] { RuleCodes.SinbaInserimentoRequired }));

    [Test]
    public void An_ongoing_placement_needs_the_child_in_a_residential_structure()
    {
        Assert.That(Check(r => { Placement(r); r.LuogoVita = "5"; }), Is.Empty, "a health structure");
        Assert.That(Check(r => { Placement(r); r.LuogoVita = "1"; r.EsitoInserimentoStruttura = "1"; }), Is.Empty, "ended: back home");
        Assert.That(Codes(r => { Placement(r); r.LuogoVita = "1"; }), Is.EqualTo(new[] { RuleCodes.SinbaInserimentoNotAllowed }));
    }

    // ------------------------------------------------------------------ (a) disability

    [Test]
    public void A_disability_needs_its_kind_and_the_certification_is_optional()
    {
        Assert.That(Check(r => { r.Disabilita = "1"; r.TipoDisabilita = "1"; }), Is.Empty);
        Assert.That(Check(r => { r.Disabilita = "1"; r.TipoDisabilita = "4"; r.InvCivCertificazioni = "5"; }), Is.Empty);
        Assert.That(Codes(r => { r.Disabilita = "1"; r.InvCivCertificazioni = "5"; }), Is.EqualTo(new[] { RuleCodes.SinbaTipoDisabilitaRequired }));
    }

    [Test]
    public void Disability_details_without_a_disability_are_refused() =>
        Assert.That(Check(r => { r.TipoDisabilita = "1"; r.InvCivCertificazioni = "4"; }).Select(v => (v.Code, v.Field)), Is.EqualTo(new[]
        {
            (RuleCodes.SinbaDisabilitaDetailNotAllowed, "TipoDisabilita"),
            (RuleCodes.SinbaDisabilitaDetailNotAllowed, "InvCivCertificazioni"),
        }));

    // ------------------------------------------------------------------ (a) closing the case

    [Test]
    public void A_closed_case_gives_both_reason_and_situation()
    {
        Assert.That(Check(r => { r.MotivazioneChiusuraCarico = "4"; r.SituazioneChiusuraCarico = "1"; }), Is.Empty);
        Assert.That(Check(r => r.MotivazioneChiusuraCarico = "4").Select(v => (v.Code, v.Field)),
            Is.EqualTo(new[] { (RuleCodes.SinbaChiusuraIncomplete, "SituazioneChiusuraCarico") }));
        Assert.That(Check(r => r.SituazioneChiusuraCarico = "1").Select(v => (v.Code, v.Field)),
            Is.EqualTo(new[] { (RuleCodes.SinbaChiusuraIncomplete, "MotivazioneChiusuraCarico") }));
    }

    [Test]
    public void A_case_closed_for_death_has_no_situation()
    {
        Assert.That(Check(r => r.MotivazioneChiusuraCarico = "8"), Is.Empty);
        Assert.That(Codes(r => { r.MotivazioneChiusuraCarico = "8"; r.SituazioneChiusuraCarico = "1"; }),
            Is.EqualTo(new[] { RuleCodes.SinbaChiusuraSituationAfterDeath }));
    }

    [TestCase("3")]
    [TestCase("4")]
    public void Staying_on_although_of_age_goes_with_closing_for_coming_of_age(string situation)
    {
        Assert.That(Check(r => { r.MotivazioneChiusuraCarico = "3"; r.SituazioneChiusuraCarico = situation; }), Is.Empty);
        Assert.That(Codes(r => { r.MotivazioneChiusuraCarico = "5"; r.SituazioneChiusuraCarico = situation; }),
            Is.EqualTo(new[] { RuleCodes.SinbaChiusuraOfAgeMismatch }));
    }

    // ------------------------------------------------------------------ (b) residence

    [Test]
    public void Residence_in_Italy_needs_the_region() =>
        Assert.That(Codes(r => r.CodiceRegioneResidenza = null), Is.EqualTo(new[] { RuleCodes.SinbaRegionRequiredForItaly }));

    [Test]
    public void Residence_abroad_takes_no_region()
    {
        Assert.That(Check(r => { r.CodiceNazioneResidenza = "788"; r.CodiceRegioneResidenza = null; }), Is.Empty);
        Assert.That(Codes(r => r.CodiceNazioneResidenza = "788"), Is.EqualTo(new[] { RuleCodes.SinbaRegionNotAllowedAbroad }));
    }

    // ------------------------------------------------------------------ (c) dates

    [Test]
    public void Dates_up_to_the_month_of_receipt_are_accepted() =>
        Assert.That(Check(r =>
        {
            r.DataPrimaSegnalazione = new MeseAnno(2025, 5);
            r.SegnalazioneAutoritaGiudiziaria = "1";
            r.DataSegnalazione = new MeseAnno(2025, 5);
            JudicialMeasure(r);
            r.DataProvvedimentoGiudiziario = new MeseAnno(2025, 5);
            r.AnnoNascita = "2025";
            r.FasciaEtaBeneficiario = "1";
        }), Is.Empty);

    [Test]
    public void Dates_after_the_month_of_receipt_are_refused()
    {
        var violations = Check(r =>
        {
            r.DataPrimaSegnalazione = new MeseAnno(2025, 6);
            r.SegnalazioneAutoritaGiudiziaria = "1";
            r.DataSegnalazione = new MeseAnno(2025, 6);
            JudicialMeasure(r);
            r.DataProvvedimentoGiudiziario = new MeseAnno(2026, 1);
            r.AnnoNascita = "2026";
        });
        Assert.That(violations.Select(v => (v.Code, v.Field)), Is.EqualTo(new[]
        {
            (RuleCodes.SinbaDateAfterReceipt, "DataPrimaSegnalazione"),
            (RuleCodes.SinbaDateAfterReceipt, "DataSegnalazione"),
            (RuleCodes.SinbaDateAfterReceipt, "DataProvvedimentoGiudiziario"),
            (RuleCodes.SinbaDateAfterReceipt, "AnnoNascita"),
        }));
    }

    // ------------------------------------------------------------------ household

    [TestCase(1)]
    [TestCase(9)]
    [TestCase(null)]
    public void An_ISEE_household_of_1_to_9_or_none_is_accepted(int? members) =>
        Assert.That(Check(r => r.NumeroComponentiISEE = members), Is.Empty);

    [TestCase(0)]
    [TestCase(-1)]
    public void An_ISEE_household_below_1_is_refused(int members) =>
        Assert.That(Codes(r => r.NumeroComponentiISEE = members), Is.EqualTo(new[] { RuleCodes.SinbaIseeMembersOutOfRange }));

    // ------------------------------------------------------------------ (e) benefit codes

    [Test]
    public void Every_benefit_code_must_be_in_the_table()
    {
        Assert.That(Check(r => r.CodiciPrestazione.AddRange(["A2.11", "A3.02"])), Is.Empty);
        var violations = Check(r => r.CodiciPrestazione.AddRange(["A9.99", "A2.11", "B1.01"]));
        Assert.That(violations.Select(v => v.Code), Is.EqualTo(new[] { RuleCodes.SinbaBenefitCodeUnknown, RuleCodes.SinbaBenefitCodeUnknown }));
        Assert.That(violations.Select(v => v.Message), Has.Some.Contains("A9.99").And.Some.Contains("B1.01"));
    }

    [Test]
    public void The_benefit_table_is_the_one_given_in_the_context()
    {
        var onlyA2 = new RuleContext(ReceiptDate, new BenefitCodeTable(BenefitCodeTable.Seed().Where(c => c.Sezione == "A2")));
        Assert.That(SinbaRules.Check(Valid(), onlyA2), Is.Empty);
        Assert.That(SinbaRules.Check(Valid(r => r.CodiciPrestazione.Add("A3.02")), onlyA2).Select(v => v.Code),
            Is.EqualTo(new[] { RuleCodes.SinbaBenefitCodeUnknown }));
    }

    [Test]
    public void A_benefit_code_listed_twice_is_refused() =>
        Assert.That(Codes(r => r.CodiciPrestazione.Add("A2.02")), Is.EqualTo(new[] { RuleCodes.SinbaBenefitCodeRepeated }));

    // ------------------------------------------------------------------ the catalogue and the samples

    [Test]
    public void Every_SINBA_code_is_in_the_catalogue_once()
    {
        var constants = typeof(RuleCodes).GetFields()
            .Where(f => f.IsLiteral && f.Name.StartsWith("Sinba", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!).ToList();
        var catalogue = RuleCodes.Catalogue.Select(d => d.Code).ToList();

        Assert.That(constants, Has.Count.GreaterThanOrEqualTo(20));
        Assert.That(constants, Is.All.StartsWith("SINBA_"));
        foreach (var code in constants) Assert.That(catalogue.Count(c => c == code), Is.EqualTo(1), code);
    }

    /// <summary>The realistic valid samples break no rule; the surprising ones break the rule the schema cannot express.</summary>
    [TestCase("valid-child-at-home-educational-support.xml")]
    [TestCase("valid-required-attributes-only.xml")]
    [TestCase("valid-judicial-report-and-supervision-order.xml")]
    [TestCase("valid-foster-care-judicial.xml")]
    [TestCase("valid-foster-care-consensual-with-relatives.xml")]
    [TestCase("valid-residential-placement-judicial.xml")]
    [TestCase("valid-mother-and-child-community.xml")]
    [TestCase("valid-unaccompanied-foreign-minor.xml")]
    [TestCase("valid-disability-with-certification.xml")]
    [TestCase("valid-case-closed-came-of-age.xml")]
    [TestCase("valid-case-closed-returned-home-after-placement.xml")]
    [TestCase("valid-several-records.xml")]
    [TestCase("valid-several-benefit-codes-and-siblings.xml")]
    [TestCase("valid-prefixed-namespace.xml")]
    [TestCase("valid-xsi-type-declared-types.xml")]
    [TestCase("valid-lexical-edge-cases.xml")]
    [TestCase("valid-length-boundaries.xml")]
    [TestCase("valid-date-pattern-bounds.xml")]
    [TestCase("valid-two-digit-code-values.xml")]
    [TestCase("valid-numerocomponentiisee-zero-or-negative.xml", RuleCodes.SinbaIseeMembersOutOfRange)]
    [TestCase("valid-idbeneficiario-single-space.xml", RuleCodes.SinbaIdBlank)]
    [TestCase("valid-idbeneficiario-is-a-fiscal-code.xml", RuleCodes.SinbaIdIsFiscalCode)]
    public void A_conformance_sample_read_and_checked_end_to_end(string sample, string? expectedCode = null)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Conformance", "Samples", "Sinba", sample);
        using var file = File.OpenRead(path);
        using var reader = new SinbaFlowReader(file, Schemas.Value, 10_000_000, 50);
        var codes = reader.ReadRecords().SelectMany(r => SinbaRules.Check(r, Context)).Select(v => v.Code).Distinct().ToList();

        Assert.That(reader.SchemaErrors, Is.Empty);
        Assert.That(codes, expectedCode is null ? Is.Empty : Is.EqualTo(new[] { expectedCode }));
    }
}
