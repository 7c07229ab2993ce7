// Lighthouse on several pages in one Chromium (one launch instead of one per page keeps the test short).
// node lighthouse_pages.mjs JOBS.json REPORT.json — JOBS: [{url, formFactor: "mobile"|"desktop"}, …];
// REPORT: the Lighthouse result (lhr) of each job, in order. Chromium: $CHROME_PATH, flags: $CHROME_FLAGS.
import fs from 'node:fs';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import * as chromeLauncher from 'chrome-launcher';

const [jobsFile, reportFile] = process.argv.slice(2);
const jobs = JSON.parse(fs.readFileSync(jobsFile, 'utf8'));
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: (process.env.CHROME_FLAGS || '').split(' ').filter(Boolean),
});
const results = [];
try {
  for (const job of jobs) {
    const flags = {
      port: chrome.port, output: 'json', logLevel: 'error', maxWaitForLoad: 30000,
      onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
      throttlingMethod: 'provided', disableFullPageScreenshot: true,
    };
    const config = job.formFactor === 'desktop' ? desktopConfig : undefined;
    const runner = await lighthouse(job.url, flags, config);
    results.push(runner.lhr);
  }
} finally {
  await chrome.kill();
}
fs.writeFileSync(reportFile, JSON.stringify(results));
