import { createInterface } from 'node:readline';

/**
 * Asks a question on the terminal and reads the answer without echoing it (a token). The caller
 * checks that stdin is a terminal first.
 */
export function promptSecret(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    let muted = false;
    const write = (rl as unknown as { _writeToOutput?: (s: string) => void })._writeToOutput;
    // readline echoes typed characters through _writeToOutput: print the question, then nothing.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (!muted) write?.call(rl, s);
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer.trim());
    });
    muted = true;
    rl.on('SIGINT', () => {
      rl.close();
      reject(new Error('cancelled'));
    });
  });
}
