using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Siuss.Service.Options;
using Siuss.Service.Queries;
using Siuss.Service.Rules;
using Siuss.Service.Signing;
using Siuss.Service.Storage;
using Siuss.Service.Submission;

namespace Siuss.Service;

/// <summary>Registers the register's core services: storage, rules, signing and the pipelines.</summary>
public static class SiussServiceCollectionExtensions
{
    /// <summary>Adds the core, bound to the <c>Siuss</c> configuration section.</summary>
    public static IServiceCollection AddSiussRegister(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SiussOptions>().Bind(configuration.GetSection(SiussOptions.Section)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<SiussOptions>, RuleOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Database>();
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<AgencyRepository>();
        services.AddSingleton<SubmissionRepository>();
        services.AddSingleton<QueryMessageRepository>();
        services.AddSingleton(sp => new BenefitCodeCatalog(
            sp.GetRequiredService<Database>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SiussOptions>>()));
        services.AddSingleton<RuleSettingsRepository>();
        services.AddSingleton<PortalUserRepository>();
        services.AddSingleton<PortalReceiptRepository>();
        services.AddSingleton<RuleSeverityCatalog>();
        services.AddSingleton<SenderAuthenticator>();
        services.AddSingleton<ReceiptSigningKey>();
        services.AddSingleton<RegisterDocumentSigner>();
        services.AddSingleton<SubmissionService>();
        services.AddSingleton<SignedQueryAuthenticator>();
        services.AddSingleton<ReceiptQueryService>();
        services.AddSingleton<RecordHistoryRepository>();
        services.AddSingleton<RecordHistoryService>();
        services.AddSingleton<BeneficiaryBenefitsRepository>();
        services.AddSingleton<ConsultationAuditRepository>();
        services.AddSingleton<BeneficiaryBenefitsService>();
        services.AddSingleton<ReceiptListRepository>();
        services.AddSingleton<ReceiptListService>();
        services.AddSingleton<ReconciliationRepository>();
        services.AddSingleton<ReconciliationService>();
        services.AddSingleton<Reports.ComplianceReport>();
        return services;
    }
}
