using System.CommandLine;
using System.ServiceModel;
using Siuss.Client.Cli.Commands;

namespace Siuss.Client.Cli;

/// <summary>The paying body's command line: <c>sign</c>, <c>submit</c>, <c>get-receipt</c>, <c>verify-receipt</c>.</summary>
public static class ClientCommandLine
{
    /// <summary>Parses and runs; parse errors exit with <see cref="ExitCodes.Usage"/>.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("SIUSS client: sign and submit welfare-benefit flows to the register, fetch and verify its receipts.")
        {
            SignCommand.Create(),
            SubmitCommand.Create(),
            GetReceiptCommand.Create(),
            VerifyReceiptCommand.Create(),
            BeneficiaryBenefitsCommand.Create(),
            ReceiptsCommand.Create(),
            ReconcileCommand.Create(),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                Console.Error.WriteLine($"error: {error.Message}");
            Console.Error.WriteLine("Run 'siuss-client --help' (or 'siuss-client <verb> --help') for usage.");
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    /// <summary>Runs a verb's body and turns the failures every verb shares into messages and exit codes.</summary>
    public static async Task<int> Guard(Func<Task<int>> verb)
    {
        try
        {
            return await verb();
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (FaultException e)
        {
            Console.Error.WriteLine($"SOAP fault: {e.Code?.Name}");
            Console.Error.WriteLine($"Message: {e.Message}");
            return ExitCodes.SoapFault;
        }
        catch (ReceiptVerificationException e)
        {
            Console.Error.WriteLine($"The answer is NOT a receipt verifiably signed by the register: {e.Message}");
            return ExitCodes.Unavailable;
        }
        catch (Exception e) when (e is CommunicationException or TimeoutException or HttpRequestException)
        {
            Console.Error.WriteLine($"Could not talk to the register: {e.Message}");
            return ExitCodes.Unavailable;
        }
    }
}
