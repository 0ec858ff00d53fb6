using Siuss.Host.Cli;

return await SiussCommandLine.RunAsync(args);
