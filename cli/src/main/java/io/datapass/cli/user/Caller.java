package io.datapass.cli.user;

import com.sun.security.auth.module.UnixSystem;

/**
 * Who runs the command, the default owner of the pod: the uid and gid {@code id -u} and {@code id
 * -g} print, so that what the tools write on shared filesystems is the caller's.
 */
record Caller(long uid, long gid) {
  static Caller current() {
    UnixSystem system = new UnixSystem();
    return new Caller(system.getUid(), system.getGid());
  }
}
