import { createInterface } from 'node:readline';

/**
 * A missing secret's value: from the shell's environment (CI: `JWT_SECRET=... npm run deploy`), else asked
 * on a terminal without echo, else a failure that says the exact command to run.
 */
export async function readSecret(name: string, putCommand: string[] | null): Promise<string> {
  const fromShell = process.env[name];
  if (fromShell) return fromShell;
  if (name === 'JWT_SECRET')
    console.log('JWT_SECRET signs access tokens: at least 32 random characters (`openssl rand -base64 48`).');
  if (!process.stdin.isTTY) {
    const how = putCommand
      ? `npx ${putCommand.join(' ')}`
      : `${name}=<value> npm run deploy (the Worker does not exist yet: the secret goes with its first deploy)`;
    throw new Error(`The secret ${name} is missing and there is no terminal to ask for it. Run:\n  ${how}`);
  }
  const value = await askHidden(`${name} (not echoed): `);
  if (value === '') throw new Error(`No value given for ${name}.`);
  return value;
}

function askHidden(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const output = rl as unknown as { _writeToOutput: (text: string) => void };
  let asked = false;
  output._writeToOutput = (text: string) => {
    // the question once, then nothing of what is typed
    if (!asked) process.stdout.write(text);
    asked = true;
  };
  return new Promise((resolve) =>
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer.trim());
    }),
  );
}
