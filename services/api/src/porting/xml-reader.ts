import { SaxesParser } from 'saxes';
import { disqusFormat } from './disqus-format.js';
import { type ImportOptions, ImportError, type ReadEntry } from './model.js';
import { wxrFormat } from './wxr-format.js';

/** What a reader hands on: entries (comments and skipped entries), one at a time, and once the source (for ids) is known. */
export interface ImportSink {
  source: (source: string) => void;
  entry: (entry: ReadEntry) => Promise<void>;
}

export interface Element {
  name: string;
  attributes: Record<string, string>;
  line: number;
}

/** Per-format handling of opened and closed elements; entries it completes go to `emit`. */
export interface XmlFormat {
  root: string;
  open(element: Element, stack: Element[]): void;
  close(element: Element, text: string, stack: Element[]): void;
  end(): void;
}

export type Emit = (entry: ReadEntry) => void;

/**
 * Streams an XML export (WordPress WXR or Disqus) through saxes: the file is
 * never held whole, only the comment being read. The root element decides
 * the format; `expected` (from `?format=`) must agree with it. A file that is
 * not well-formed XML is an ImportError naming the line: the whole file is
 * refused, whatever `strict` says, since nothing after the break can be trusted.
 */
export async function readXmlExport(
  chunks: AsyncIterable<string>,
  expected: 'wxr' | 'disqus' | undefined,
  sink: ImportSink,
  options: ImportOptions = {},
): Promise<void> {
  const parser = new SaxesParser({ position: true });
  const stack: Element[] = [];
  let text = '';
  let format: XmlFormat | undefined;
  let done: ReadEntry[] = [];
  let sawRoot = false;
  const emit: Emit = (entry) => {
    done.push(entry);
  };

  parser.on('error', (error) => {
    // saxes prefixes "line:column: "; say it in words.
    const match = /^(?:[^:]*:)?(\d+):(\d+): (.*)$/s.exec(error.message);
    throw new ImportError(
      match ? `column ${match[2]}: ${match[3]}` : error.message,
      match ? Number(match[1]) : parser.line,
      stack.at(-1)?.name,
    );
  });
  parser.on('opentag', (tag) => {
    const element: Element = {
      name: tag.name,
      attributes: tag.attributes as Record<string, string>,
      line: parser.line,
    };
    if (!sawRoot) {
      sawRoot = true;
      format =
        tag.name === 'rss'
          ? wxrFormat(sink, emit, options)
          : tag.name === 'disqus'
            ? disqusFormat(sink, emit, options)
            : undefined;
      if (!format)
        throw new ImportError(
          `the root element is <${tag.name}>; expected <rss> (WordPress WXR) or <disqus> (Disqus export)`,
          parser.line,
          tag.name,
        );
      const actual = format.root === 'rss' ? 'wxr' : 'disqus';
      if (expected && expected !== actual)
        throw new ImportError(
          `format=${expected} was asked for, but the file is a ${actual === 'wxr' ? 'WordPress WXR' : 'Disqus'} export`,
          parser.line,
          tag.name,
        );
    }
    stack.push(element);
    text = '';
    format?.open(element, stack);
  });
  parser.on('text', (value) => {
    text += value;
  });
  parser.on('cdata', (value) => {
    text += value;
  });
  parser.on('closetag', () => {
    const element = stack.pop();
    if (!element || !format) return;
    format.close(element, text, stack);
    text = '';
  });

  for await (const chunk of chunks) {
    parser.write(chunk);
    if (done.length) {
      const ready = done;
      done = [];
      for (const entry of ready) await sink.entry(entry);
    }
  }
  parser.close();
  if (!sawRoot) throw new ImportError('the file is empty');
  format?.end();
  for (const entry of done) await sink.entry(entry);
}
