package io.datapass.xrootd;

/** One entry of a directory listing, with its stat. */
public record DirEntry(String name, StatInfo stat) {}
