/** The CLI's io for a test: stdout and stderr collected in memory, never a terminal, cwd '.'. */
export function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), interactive: false, cwd: '.' },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}
