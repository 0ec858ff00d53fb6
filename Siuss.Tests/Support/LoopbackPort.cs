using System.Net;
using System.Net.Sockets;

namespace Siuss.Tests.Support;

/// <summary>A loopback port nobody listens on now (the OS's pick), for a server a test or the benchmark starts.</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
