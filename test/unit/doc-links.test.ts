// Every relative link in README.md and docs/ points at a file that exists.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const pages = ['README.md', ...readdirSync(join(repo, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]

it('has no broken relative links in README.md and docs/*.md', () => {
  const broken: string[] = []
  for (const page of pages) {
    const text = readFileSync(join(repo, page), 'utf8').replace(/```[\s\S]*?```/g, '')
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target!) || target!.startsWith('#')) continue
      const path = resolve(dirname(join(repo, page)), target!.split('#')[0]!)
      if (!existsSync(path)) broken.push(`${page} -> ${target}`)
    }
  }
  expect(broken).toEqual([])
})
