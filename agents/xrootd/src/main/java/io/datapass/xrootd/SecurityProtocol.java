package io.datapass.xrootd;

import java.nio.charset.StandardCharsets;

/**
 * A way to authenticate when the server's login reply asks for it ({@code &P=name,params}). {@code
 * unix} is built in; GSI (X.509 proxies) and tokens plug in here.
 */
public interface SecurityProtocol {

  /** The protocol name as the server lists it ({@code unix}, {@code gsi}, {@code ztn}). */
  String name();

  /** The credentials sent with kXR_auth, given the server's parameters for this protocol. */
  byte[] credentials(String serverParameters);

  /** The {@code unix} protocol: the server believes the user and group names it is told. */
  static SecurityProtocol unix(String user, String group) {
    return new SecurityProtocol() {
      @Override
      public String name() {
        return "unix";
      }

      @Override
      public byte[] credentials(String serverParameters) {
        return ("unix\0" + user + (group == null ? "" : " " + group) + "\0")
            .getBytes(StandardCharsets.UTF_8);
      }
    };
  }
}
