const http = require('http'), fs = require('fs');
const { chromium } = require('playwright-core');
(async () => {
  const out = process.argv[2], extra = process.argv.slice(3);
  const html = fs.readFileSync(__dirname + '/page.html');
  const srv = http.createServer((q, r) => { r.setHeader('content-type', 'text/html'); r.end(html); });
  await new Promise(r => srv.listen(0, '127.0.0.1', r));
  const url = 'http://127.0.0.1:' + srv.address().port + '/';
  const args = ['--no-sandbox','--disable-gpu','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync','--allow-loopback-in-peer-connection',...(process.env.ONLYDATA ? [] : ['--use-fake-ui-for-media-stream','--use-fake-device-for-media-stream']), ...extra];
  const browser = await chromium.launch({executablePath: '/usr/bin/chromium', headless: true, args});
  const page = await browser.newPage();
  await page.goto(url);
  for (const media of (process.env.ONLYDATA ? [false] : [false, true])) {
    const res = await page.evaluate(m => window.run(m), media);
    const tag = media ? 'av-data' : 'data';
    fs.writeFileSync(`${out}-${tag}-offer.sdp`, res.offer);
    fs.writeFileSync(`${out}-${tag}-answer.sdp`, res.answer);
    console.log(tag, res.ua);
  }
  await browser.close(); srv.close();
})().catch(e => { console.error(e); process.exit(1); });
