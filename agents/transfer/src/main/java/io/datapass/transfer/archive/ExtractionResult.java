package io.datapass.transfer.archive;

/** What an extraction wrote: regular files (links not counted) and their bytes. */
public record ExtractionResult(int files, long bytes) {}
