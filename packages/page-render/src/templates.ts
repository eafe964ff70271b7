import { readdirSync, readFileSync } from 'node:fs';
import Handlebars from 'handlebars';

const templatesDir = new URL('../templates/', import.meta.url);

export interface Templates {
  nodePage: Handlebars.TemplateDelegate;
  summaryPage: Handlebars.TemplateDelegate;
  reportIndex: Handlebars.TemplateDelegate;
  reportNode: Handlebars.TemplateDelegate;
  reportCss: string;
}

// Compiled once per process on first use; the compiled templates never change afterwards.
let compiled: Templates | undefined;

export function templates(): Templates {
  compiled ??= compileTemplates();
  return compiled;
}

function compileTemplates(): Templates {
  // An own environment, so partials registered here never leak into other users of handlebars.
  const env = Handlebars.create();
  const partialsDir = new URL('partials/', templatesDir);
  for (const file of readdirSync(partialsDir)) {
    // Without the file's final newline, so inline partials add no line breaks to the markup.
    if (file.endsWith('.hbs'))
      env.registerPartial(file.slice(0, -4), read(new URL(file, partialsDir)).trimEnd());
  }
  // strict: a field missing from the context is a bug in this package, not an empty cell.
  const compile = (name: string) => env.compile(read(new URL(name, templatesDir)), { strict: true });
  return {
    nodePage: compile('node-page.hbs'),
    summaryPage: compile('summary-page.hbs'),
    reportIndex: compile('report-index.hbs'),
    reportNode: compile('report-node.hbs'),
    reportCss: read(new URL('report.css', templatesDir)),
  };
}

function read(url: URL): string {
  return readFileSync(url, 'utf8');
}
