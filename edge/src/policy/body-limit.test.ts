import { describe, expect, it } from 'vitest'
import { capBody, declaresTooLarge, RequestBodyTooLarge } from './body-limit'

const streamOf = (...chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk))
      controller.close()
    },
  })

describe('declaresTooLarge', () => {
  it('compares a well-formed Content-Length with the limit', () => {
    expect(declaresTooLarge(new Headers({ 'content-length': '11' }), 10)).toBe(true)
    expect(declaresTooLarge(new Headers({ 'content-length': '10' }), 10)).toBe(false)
    expect(declaresTooLarge(new Headers(), 10)).toBe(false)
  })
})

describe('capBody', () => {
  it('passes a body within the limit through unchanged', async () => {
    const capped = capBody(streamOf('hello', ' ', 'world'), 11)
    expect(await new Response(capped.stream).text()).toBe('hello world')
    expect(capped.exceeded()).toBe(false)
  })

  it('fails the stream with RequestBodyTooLarge once the limit is passed', async () => {
    const capped = capBody(streamOf('hello', ' ', 'world'), 10)
    await expect(new Response(capped.stream).text()).rejects.toBeInstanceOf(RequestBodyTooLarge)
    expect(capped.exceeded()).toBe(true)
    expect(capped.signal.aborted).toBe(true)
  })
})
