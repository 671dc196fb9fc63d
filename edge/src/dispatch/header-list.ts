// Headers for the Node hot path: the web Headers API (what routing and the plan use) over a Map
// from lowercase name to values, without the per-call validation and sorted iteration of
// Node's web Headers (several microseconds a request; see test/bench/proxy.bench.ts). Only for
// headers that were validated already: parsed by Node's HTTP parser, or from a validated route
// table. Iteration is in insertion order; everything else behaves as web Headers does
// (header-list.test.ts checks that against the real one).
const SET_COOKIE = 'set-cookie'

export class HeaderList {
  private readonly byName: Map<string, string[]>

  private constructor(byName: Map<string, string[]>) {
    this.byName = byName
  }

  /** From Node's rawHeaders: [name, value, name, value, ...]. */
  static fromRaw(raw: readonly string[]): HeaderList {
    const list = new HeaderList(new Map())
    for (let i = 0; i < raw.length; i += 2) list.append(raw[i]!, raw[i + 1]!)
    return list
  }

  /** The copy the plan modifies (a web Headers copy would turn it back into the slow kind). */
  clone(): HeaderList {
    const copy = new Map<string, string[]>()
    for (const [name, values] of this.byName) copy.set(name, [...values])
    return new HeaderList(copy)
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase()
    const values = this.byName.get(key)
    if (values) values.push(trimmed(value))
    else this.byName.set(key, [trimmed(value)])
  }

  set(name: string, value: string): void {
    this.byName.set(name.toLowerCase(), [trimmed(value)])
  }

  delete(name: string): void {
    this.byName.delete(name.toLowerCase())
  }

  has(name: string): boolean {
    return this.byName.has(name.toLowerCase())
  }

  get(name: string): string | null {
    const values = this.byName.get(name.toLowerCase())
    return values === undefined ? null : values.length === 1 ? values[0]! : values.join(', ')
  }

  getSetCookie(): string[] {
    return [...(this.byName.get(SET_COOKIE) ?? [])]
  }

  forEach(callback: (value: string, name: string, parent: HeaderList) => void): void {
    for (const [name, values] of this.byName) {
      if (name === SET_COOKIE) for (const value of values) callback(value, name, this)
      else callback(values.length === 1 ? values[0]! : values.join(', '), name, this)
    }
  }

  entries(): IterableIterator<[string, string]> {
    return this.pairs()[Symbol.iterator]()
  }

  keys(): IterableIterator<string> {
    const names: string[] = []
    for (const [name, values] of this.byName) {
      if (name === SET_COOKIE) for (let i = 0; i < values.length; i++) names.push(name)
      else names.push(name)
    }
    return names[Symbol.iterator]()
  }

  values(): IterableIterator<string> {
    return this.pairs().map(([, value]) => value)[Symbol.iterator]()
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries()
  }

  /** The entries as web Headers list them: values combined, Set-Cookie ones apart. Arrays, not generators: this is the hot path. */
  private pairs(): [string, string][] {
    const out: [string, string][] = []
    for (const [name, values] of this.byName) {
      if (name === SET_COOKIE) for (const value of values) out.push([name, value])
      else out.push([name, values.length === 1 ? values[0]! : values.join(', ')])
    }
    return out
  }

  /** Appends the entries to `flat` as name, value pairs, without the pairs' arrays. */
  appendFlat(flat: string[]): void {
    for (const [name, values] of this.byName) {
      if (name === SET_COOKIE) for (const value of values) flat.push(name, value)
      else flat.push(name, values.length === 1 ? values[0]! : values.join(', '))
    }
  }

  /** Typed as what routing and the plan take; it implements what they use. */
  asHeaders(): Headers {
    return this as unknown as Headers
  }
}

/** [name, value, name, value, ...] as undici's dispatch takes them: the entries web Headers would list. */
export function flatHeaders(headers: Headers): string[] {
  const flat: string[] = []
  if ((headers as unknown) instanceof HeaderList) (headers as unknown as HeaderList).appendFlat(flat)
  else for (const [name, value] of headers) flat.push(name, value)
  return flat
}

/** A copy of the same kind: a HeaderList stays one. */
export const copyHeaders = (headers: Headers): Headers =>
  (headers as unknown) instanceof HeaderList ? (headers as unknown as HeaderList).clone().asHeaders() : new Headers(headers)

/** Web Headers strip leading and trailing HTTP whitespace (tab, space, CR, LF) from values. */
function trimmed(value: string): string {
  const first = value.charCodeAt(0)
  const last = value.charCodeAt(value.length - 1)
  return first === 32 || first === 9 || first === 10 || first === 13 || last === 32 || last === 9 || last === 10 || last === 13 ? value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '') : value
}
