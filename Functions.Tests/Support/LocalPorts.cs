using System.Net;
using System.Net.Sockets;

namespace Escalation.Tests.Support;

internal static class LocalPorts
{
    /// <summary>A TCP port on 127.0.0.1 that the OS reports free right now.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
