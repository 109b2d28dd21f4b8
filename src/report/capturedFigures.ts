/**
 * The figures of one drawing in a webview (the results panel in view, or a webview showing
 * report.html) as they arrive, one capture message each: every PNG saved in the report folder,
 * until `done`; an `error`, a bad figure or the time running out ends it with that error.
 */
import type { ReportCaptureMessage } from '../protocol/report';
import { savePngDataUrl, type RenderedFigure } from './figurePng';

export interface CapturedFigures {
  figures: RenderedFigure[];
  skipped: { file: string; reason: string }[];
}

export interface FigureCollector {
  receive(message: ReportCaptureMessage): void;
  /** Ends the drawing early (its webview went away): the result rejects with `why`. */
  fail(why: Error): void;
  /** Settles on `done` (the figures saved), or on the first failure. */
  readonly result: Promise<CapturedFigures>;
}

export function collectFigures(outDir: string, timeoutMs: number, what: string): FigureCollector {
  const captured: CapturedFigures = { figures: [], skipped: [] };
  let settle!: { resolve: (c: CapturedFigures) => void; reject: (e: Error) => void };
  const result = new Promise<CapturedFigures>((resolve, reject) => (settle = { resolve, reject }));
  const timer = setTimeout(() => fail(new Error(`${what} drew no figures in ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
  const fail = (e: Error) => {
    clearTimeout(timer);
    settle.reject(e);
  };
  const receive = (message: ReportCaptureMessage) => {
    try {
      if (message.type === 'figure') captured.figures.push(savePngDataUrl(outDir, message, message.dataUrl));
      else if (message.type === 'skipped') captured.skipped.push({ file: message.file, reason: message.reason });
      else if (message.type === 'error') fail(new Error(message.message));
      else {
        clearTimeout(timer);
        settle.resolve(captured);
      }
    } catch (e) {
      fail(e instanceof Error ? e : new Error(String(e)));
    }
  };
  return { receive, fail, result };
}
