/** A one-line progress bar for interactive runs; does nothing when the stream is not a TTY. */
export interface ProgressBar {
  tick(): void;
  /** Removes the bar so another line can be written, then `render` puts it back. */
  clear(): void;
  render(): void;
  done(): void;
}

export function createProgressBar(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressBar {
  if (!stream.isTTY || total === 0) return { tick() {}, clear() {}, render() {}, done() {} };
  let count = 0;
  let shown = false;
  const width = 30;
  const render = () => {
    const filled = Math.round((count / total) * width);
    stream.write(`\r\x1b[K${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${count}/${total}`);
    shown = true;
  };
  const clear = () => {
    if (shown) stream.write('\r\x1b[K');
    shown = false;
  };
  return {
    tick() {
      count++;
      render();
    },
    clear,
    render,
    done() {
      clear();
    },
  };
}
