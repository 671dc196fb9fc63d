// A bearer token kept in a file (a mounted Kubernetes Secret), for the route-table endpoint
// (`controller --route-table-token-file`) and the edge that reads it (`serve --source-token-file`).
// One token per line: the controller accepts every line (two while a token is rotated in), the
// edge sends the first. The file is read again at most every `refreshMs`, so a rotated Secret
// takes effect without a restart; if it becomes unreadable the last good tokens stay. No token
// ever appears in an error or a log line.
import { readFile } from 'node:fs/promises'

/** RFC 6750 b64token characters; 16 characters at least, so that a placeholder is not taken for a token. */
const TOKEN = /^[A-Za-z0-9\-._~+/]{16,}=*$/

export class TokenFile {
  private lastRead: number

  private constructor(
    readonly path: string,
    private current: readonly string[],
    private readonly refreshMs: number,
    private readonly onStale: (error: string) => void,
  ) {
    this.lastRead = Date.now()
  }

  /** Reads the file once; throws a clear error (naming the file and line, never the token) when it holds no valid token. */
  static async open(path: string, flag: string, options: { refreshMs?: number; onStale?: (error: string) => void } = {}): Promise<TokenFile> {
    const tokens = parseTokens(await readText(path, flag), `${flag} ${path}`)
    return new TokenFile(path, tokens, options.refreshMs ?? 5_000, options.onStale ?? (() => {}))
  }

  /** Every token of the file, read again when the last read is older than `refreshMs`. */
  async tokens(): Promise<readonly string[]> {
    if (Date.now() - this.lastRead >= this.refreshMs) {
      this.lastRead = Date.now()
      try {
        this.current = parseTokens(await readText(this.path, 'token file'), this.path)
      } catch (error) {
        this.onStale(`${(error as Error).message}; the tokens read before stay in use`)
      }
    }
    return this.current
  }

  /** The token an edge sends: the file's first. */
  async first(): Promise<string> {
    return (await this.tokens())[0]!
  }
}

async function readText(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    throw new Error(`${flag} ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
}

export function parseTokens(text: string, where: string): string[] {
  const lines = text.split(/\r?\n/).map((line) => line.trim())
  const tokens: string[] = []
  for (const [index, line] of lines.entries()) {
    if (line === '' || line.startsWith('#')) continue
    if (!TOKEN.test(line)) throw new Error(`${where}: line ${index + 1} is not a bearer token (at least 16 of A-Z a-z 0-9 - . _ ~ + /)`)
    tokens.push(line)
  }
  if (tokens.length === 0) throw new Error(`${where}: no token in the file`)
  return tokens
}
