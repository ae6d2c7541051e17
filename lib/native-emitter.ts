/**
 * What BlockWatcher and RecordExport share about their native thread's reading and their listeners:
 * the reasons it is paused (the user's pause(), and async iterators whose queue is full; it reads
 * only while none holds), and how a listener's exception reaches the process. No Node-API and no
 * state beyond the emitter that owns it.
 */

/** The native watcher's pause()/resume(), as binding.d.ts describes them. */
interface Pausable {
  pause(): void;
  resume(): void;
}

export class PauseReasons {
  #user = false;
  #iterators = 0;
  readonly #native: () => Pausable | null;

  /** `native`: the watcher to pause, or null while there is none (it never started). */
  constructor(native: () => Pausable | null) {
    this.#native = native;
  }

  /** The user's pause() (true) or resume() (false). */
  user(paused: boolean): void {
    this.#user = paused;
    this.#apply();
  }

  /** An async iterator's queue filled (true) or drained again (false); calls come in pairs. */
  iterator(paused: boolean): void {
    this.#iterators += paused ? 1 : -1;
    this.#apply();
  }

  #apply(): void {
    const native = this.#native();
    if (!native) return;
    if (this.#user || this.#iterators > 0) native.pause();
    else native.resume();
  }
}

/**
 * Runs `emit` (an emit() or a callback): a listener's exception reaches the process as an uncaught
 * exception, as it would from any EventEmitter, without cutting the rest of the batch short.
 */
export function emitRethrowingLater(emit: () => void): void {
  try {
    emit();
  } catch (error) {
    process.nextTick(() => {
      throw error;
    });
  }
}
