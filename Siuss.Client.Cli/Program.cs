using Siuss.Client.Cli;

return await ClientCommandLine.RunAsync(args);
