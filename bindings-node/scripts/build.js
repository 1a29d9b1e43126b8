'use strict'
// `npm install` hook: builds the native addon with cargo when no prebuilt one is present.
// It needs only cargo (not @napi-rs/cli, a dev dependency): the addon is the cdylib of the
// `instasent-node` crate, copied to the file name native.js loads.

const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const root = path.resolve(__dirname, '..')

function platformSuffix() {
  const { platform, arch } = process
  if (platform === 'linux') {
    const report = process.report && process.report.getReport()
    const glibc = report && report.header && report.header.glibcVersionRuntime
    return `linux-${arch}-${glibc ? 'gnu' : 'musl'}`
  }
  if (platform === 'win32') return `win32-${arch}-msvc`
  return `${platform}-${arch}`
}

function libraryName() {
  if (process.platform === 'win32') return 'instasent_node.dll'
  if (process.platform === 'darwin') return 'libinstasent_node.dylib'
  return 'libinstasent_node.so'
}

const target = path.join(root, `instasent.${platformSuffix()}.node`)
if (fs.existsSync(target) && !process.env.INSTASENT_FORCE_BUILD) {
  process.exit(0)
}

const targetDir = process.env.CARGO_TARGET_DIR || path.resolve(root, '..', 'target')
console.log(`instasent: building the native addon with cargo (target dir ${targetDir})`)
execFileSync('cargo', ['build', '--release', '-p', 'instasent-node'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CARGO_TARGET_DIR: targetDir },
})
fs.copyFileSync(path.join(targetDir, 'release', libraryName()), target)
console.log(`instasent: built ${path.basename(target)}`)
