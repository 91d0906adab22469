package io.datapass.cli.user;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.io.PrintStream;

/** How to reach a user's tool through its Service: its name, type, port and node port. */
final class ServiceAddress {
  private ServiceAddress() {}

  /** One line: "Service savu-jdoe (ClusterIP 10.96.0.12), port 80"; and the node port. */
  static String describe(Service service) {
    if (service == null) {
      return "no Service";
    }
    String type = service.getSpec().getType();
    String clusterIp = service.getSpec().getClusterIP();
    StringBuilder line =
        new StringBuilder("Service ")
            .append(service.getMetadata().getName())
            .append(" (")
            .append(type)
            .append(clusterIp == null || clusterIp.isEmpty() ? "" : " " + clusterIp)
            .append(")");
    ServicePort port = port(service);
    if (port != null) {
      line.append(", port ").append(port.getPort());
      if ("NodePort".equals(type) && port.getNodePort() != null) {
        line.append("; node port ").append(port.getNodePort()).append(" of any node's address");
      }
    }
    return line.toString();
  }

  /** The lines start prints: the Service, and the port-forward that reaches a ClusterIP one. */
  static void print(PrintStream out, Service service, String namespace) {
    out.println("Reach it:");
    out.println("  " + describe(service));
    ServicePort port = service == null ? null : port(service);
    if (port != null && !"NodePort".equals(service.getSpec().getType())) {
      out.println(
          "  kubectl -n "
              + namespace
              + " port-forward service/"
              + service.getMetadata().getName()
              + " 8080:"
              + port.getPort()
              + "      # then http://localhost:8080/");
    }
  }

  private static ServicePort port(Service service) {
    var ports = service.getSpec().getPorts();
    return ports == null || ports.isEmpty() ? null : ports.get(0);
  }
}
