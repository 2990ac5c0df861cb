// A tiny event emitter: the one event API every SDK object shares.
// Listeners that throw are reported on the console and never break the emitter's caller.
export class Emitter {
  #listeners = new Map();

  /** Adds a listener; returns a function that removes it. */
  on(type, fn) {
    if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
    this.#listeners.get(type).add(fn);
    return () => this.off(type, fn);
  }

  once(type, fn) {
    const off = this.on(type, (e) => { off(); fn(e); });
    return off;
  }

  off(type, fn) {
    this.#listeners.get(type)?.delete(fn);
  }

  emit(type, detail) {
    for (const fn of [...(this.#listeners.get(type) ?? [])]) {
      try { fn(detail); } catch (err) { console.error(`rtc4j: listener for "${type}" threw`, err); }
    }
    for (const fn of [...(this.#listeners.get('*') ?? [])]) {
      try { fn({ type, detail }); } catch (err) { console.error('rtc4j: wildcard listener threw', err); }
    }
  }
}

/** Resolves with the next `type` event of `emitter`, or rejects after `ms`. */
export function nextEvent(emitter, type, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`timed out waiting for ${type}`)); }, ms);
    const off = emitter.once(type, (e) => { clearTimeout(timer); resolve(e); });
  });
}
