// Small stream helpers for the child's stdio.

/** Splits a text stream into lines (without the "\n"), whatever the chunking. */
export class LineSplitter {
  private buffer = "";

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    this.buffer += chunk;
    let nl = this.buffer.indexOf("\n");
    while (nl >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      this.onLine(line);
      nl = this.buffer.indexOf("\n");
    }
  }
}

/** Keeps the last `limit` characters written, for error messages. */
export class TailBuffer {
  private data = "";

  constructor(private readonly limit: number) {}

  push(chunk: string): void {
    this.data = (this.data + chunk).slice(-this.limit);
  }

  text(): string {
    return this.data;
  }
}
