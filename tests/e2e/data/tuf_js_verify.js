// A stock TUF client (tuf-js) verifying a repository: refresh the metadata
// from the trusted root, find a target (through delegations), download and
// check it. Exit 0 and "verified ..." on success.
const { Updater } = require('tuf-js');
const fs = require('fs');
(async () => {
  const [, , url, metadataDir, targetDir, rootPath, targetPath] = process.argv;
  fs.mkdirSync(metadataDir, { recursive: true });
  fs.mkdirSync(targetDir, { recursive: true });
  fs.copyFileSync(rootPath, metadataDir + '/root.json');
  const updater = new Updater({ metadataBaseUrl: url, targetBaseUrl: url + '/targets', metadataDir, targetDir });
  await updater.refresh();
  const info = await updater.getTargetInfo(targetPath);
  if (!info) { console.error('tuf-js: no target ' + targetPath); process.exit(3); }
  const file = await updater.downloadTarget(info);
  console.log('verified ' + targetPath + ' (' + info.length + ' bytes) -> ' + file);
})().catch((e) => { console.error('tuf-js: ' + (e.stack || e)); process.exit(1); });
