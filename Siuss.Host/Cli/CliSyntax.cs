using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Siuss.Host.Cli;

/// <summary>
/// What every verb shares about its syntax: dates, the help text and how a command line that does not parse is
/// reported. The library's defaults print type names (<c>System.Nullable`1[System.DateOnly]</c>), an unbalanced
/// <c>[[--] &lt;additional arguments&gt;...]]</c> usage for the verbs that take configuration, and "Required command
/// was not provided." beside the real error of an unknown verb.
/// </summary>
internal static class CliSyntax
{
    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>What a verb that takes configuration tokens shows for them in its usage line.</summary>
    internal const string ConfigurationUsage = "[--Siuss:Section:Key=value ...]";

    /// <summary>A required date option (yyyy-MM-dd) whose error names the option and the expected form.</summary>
    public static Option<DateOnly> RequiredDate(string name, string description) =>
        new(name) { Description = description, Required = true, CustomParser = result => ParseDate(result) ?? default };

    /// <summary>An optional date option (yyyy-MM-dd) whose error names the option and the expected form.</summary>
    public static Option<DateOnly?> OptionalDate(string name, string description) =>
        new(name) { Description = description, CustomParser = ParseDate };

    private static DateOnly? ParseDate(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
        if (DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        var option = (result.Parent as OptionResult)?.Option.Name ?? "the date";
        result.AddError($"{option}: '{text}' is not a date; write it as {DateFormat} (e.g. 2026-01-31).");
        return null;
    }

    /// <summary>
    /// The library's help with a balanced usage line: verbs that take configuration tokens show them as
    /// <see cref="ConfigurationUsage"/>, and the "Additional Arguments" section (about "--", which the verbs refuse) goes.
    /// System.CommandLine 2.0 keeps its help layout types internal, so its text is amended here.
    /// </summary>
    internal static string BalancedHelp(string help)
    {
        help = help.Replace("[[--] <additional arguments>...]]", ConfigurationUsage, StringComparison.Ordinal);
        int start = help.IndexOf("Additional Arguments:", StringComparison.Ordinal);
        if (start < 0) return help;
        int end = help.IndexOf(Environment.NewLine + Environment.NewLine, start, StringComparison.Ordinal);
        return end < 0 ? help[..start].TrimEnd() + Environment.NewLine : help[..start] + help[(end + 2 * Environment.NewLine.Length)..];
    }

    /// <summary>
    /// Parses and runs; a command line that does not parse gets its errors on stderr, once each, and exit code 2
    /// ("Required command was not provided." only when it is the sole error, i.e. a group verb alone).
    /// </summary>
    public static Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        if (parse.Action is HelpAction)
        {
            var help = new StringWriter();
            int exit = parse.Invoke(new InvocationConfiguration { Output = help });
            Console.Out.Write(BalancedHelp(help.ToString()));
            return Task.FromResult(exit);
        }
        if (parse.Errors.Count == 0) return parse.InvokeAsync();
        var messages = parse.Errors.Select(e => e.Message).Distinct().ToList();
        if (messages.Count > 1) messages.RemoveAll(m => m.StartsWith("Required command was not provided", StringComparison.Ordinal));
        foreach (var message in messages) Console.Error.WriteLine(message);
        Console.Error.WriteLine($"Run '{string.Join(' ', ["Siuss.Host", .. CommandPath(parse.CommandResult.Command)])} --help' for the usage.");
        return Task.FromResult(2);
    }

    private static IEnumerable<string> CommandPath(Command command)
    {
        var names = new List<string>();
        for (Symbol? symbol = command; symbol is not null and not RootCommand; symbol = symbol.Parents.FirstOrDefault())
            names.Insert(0, symbol.Name);
        return names;
    }
}
