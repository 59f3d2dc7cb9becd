// Argon2id (RFC 9106, version 0x13) and the BLAKE2b it is built on, in plain JavaScript: WebCrypto has neither.
// 64-bit words are pairs of 32-bit halves (lo at even, hi at odd indices of a Uint32Array). Runs in a worker.

const IV = new Uint32Array([
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a,
  0xade682d1, 0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19]);
const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4], [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13], [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11], [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5], [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0]];

// ---- BLAKE2b ----

const V = new Uint32Array(32);
const M = new Uint32Array(32);

function add64(v, a, b) { // v[a] += v[b]
  const lo = v[2 * a] + v[2 * b];
  v[2 * a + 1] = v[2 * a + 1] + v[2 * b + 1] + (lo > 0xffffffff ? 1 : 0);
  v[2 * a] = lo;
}

function addM(v, a, m, i) { // v[a] += m[i]
  const lo = v[2 * a] + m[2 * i];
  v[2 * a + 1] = v[2 * a + 1] + m[2 * i + 1] + (lo > 0xffffffff ? 1 : 0);
  v[2 * a] = lo;
}

function xorRotr(v, d, a, r) { // v[d] = rotr64(v[d] ^ v[a], r) for r in 16, 24, 32, 63
  const lo = v[2 * d] ^ v[2 * a];
  const hi = v[2 * d + 1] ^ v[2 * a + 1];
  if (r === 32) {
    v[2 * d] = hi; v[2 * d + 1] = lo;
  } else if (r === 63) {
    v[2 * d] = (lo << 1) | (hi >>> 31); v[2 * d + 1] = (hi << 1) | (lo >>> 31);
  } else {
    v[2 * d] = (lo >>> r) | (hi << (32 - r)); v[2 * d + 1] = (hi >>> r) | (lo << (32 - r));
  }
}

function compress(h, block, counter, last) {
  for (let i = 0; i < 16; i++) { V[i] = h[i]; V[i + 16] = IV[i]; }
  V[24] ^= counter >>> 0;
  V[25] ^= Math.floor(counter / 4294967296);
  if (last) { V[28] = ~V[28]; V[29] = ~V[29]; }
  for (let i = 0; i < 32; i++) {
    M[i] = block[4 * i] | (block[4 * i + 1] << 8) | (block[4 * i + 2] << 16) | (block[4 * i + 3] << 24);
  }
  for (let r = 0; r < 12; r++) {
    const s = SIGMA[r % 10];
    mix(0, 4, 8, 12, s[0], s[1]); mix(1, 5, 9, 13, s[2], s[3]);
    mix(2, 6, 10, 14, s[4], s[5]); mix(3, 7, 11, 15, s[6], s[7]);
    mix(0, 5, 10, 15, s[8], s[9]); mix(1, 6, 11, 12, s[10], s[11]);
    mix(2, 7, 8, 13, s[12], s[13]); mix(3, 4, 9, 14, s[14], s[15]);
  }
  for (let i = 0; i < 16; i++) h[i] ^= V[i] ^ V[i + 16];
}

function mix(a, b, c, d, x, y) {
  add64(V, a, b); addM(V, a, M, x); xorRotr(V, d, a, 32);
  add64(V, c, d); xorRotr(V, b, c, 24);
  add64(V, a, b); addM(V, a, M, y); xorRotr(V, d, a, 16);
  add64(V, c, d); xorRotr(V, b, c, 63);
}

/** BLAKE2b of the concatenation of {@code parts} (Uint8Arrays), {@code outLen} 1..64 bytes, no key. */
export function blake2b(outLen, ...parts) {
  const h = new Uint32Array(IV);
  h[0] ^= 0x01010000 ^ outLen;
  const buf = new Uint8Array(128);
  let fill = 0;
  let counter = 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      if (fill === 128) {
        counter += 128;
        compress(h, buf, counter, false);
        fill = 0;
      }
      buf[fill++] = p[i];
    }
  }
  counter += fill;
  buf.fill(0, fill);
  compress(h, buf, counter, true);
  const out = new Uint8Array(outLen);
  for (let i = 0; i < outLen; i++) out[i] = h[i >> 2] >>> (8 * (i & 3));
  return out;
}

function le32(n) {
  return new Uint8Array([n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff]);
}

/** H' of RFC 9106, section 3.3: a hash of any length built from BLAKE2b. */
function hashPrime(outLen, ...parts) {
  if (outLen <= 64) return blake2b(outLen, le32(outLen), ...parts);
  const out = new Uint8Array(outLen);
  let v = blake2b(64, le32(outLen), ...parts);
  out.set(v.subarray(0, 32), 0);
  let pos = 32;
  while (outLen - pos > 64) {
    v = blake2b(64, v);
    out.set(v.subarray(0, 32), pos);
    pos += 32;
  }
  out.set(blake2b(outLen - pos, v), pos);
  return out;
}

// ---- Argon2 compression ----

let mulLo = 0;
let mulHi = 0;

function mul32(a, b) { // the 64-bit product of two unsigned 32-bit numbers, exactly, in mulLo/mulHi
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const mid = al * bh + ah * bl;
  const low = al * bl + (mid % 65536) * 65536;
  mulLo = low >>> 0;
  mulHi = (ah * bh + Math.floor(mid / 65536) + Math.floor(low / 4294967296)) >>> 0;
}

function fBlaMka(v, a, b) { // v[a] = v[a] + v[b] + 2 * lo(v[a]) * lo(v[b])
  mul32(v[2 * a], v[2 * b]);
  const pHi = (mulHi << 1) | (mulLo >>> 31);
  const pLo = (mulLo << 1) >>> 0;
  let lo = v[2 * a] + v[2 * b];
  let hi = v[2 * a + 1] + v[2 * b + 1] + (lo > 0xffffffff ? 1 : 0);
  lo >>>= 0;
  const lo2 = lo + pLo;
  v[2 * a + 1] = hi + pHi + (lo2 > 0xffffffff ? 1 : 0);
  v[2 * a] = lo2;
}

function gb(v, a, b, c, d) {
  fBlaMka(v, a, b); xorRotr(v, d, a, 32);
  fBlaMka(v, c, d); xorRotr(v, b, c, 24);
  fBlaMka(v, a, b); xorRotr(v, d, a, 16);
  fBlaMka(v, c, d); xorRotr(v, b, c, 63);
}

const R = new Uint32Array(256);
const Q = new Uint32Array(256);
const IDX = new Int32Array(16);
const W = new Uint32Array(32);

function permute(q, idx) { // P over 16 words of q named by idx (indices of 64-bit words)
  for (let i = 0; i < 16; i++) { W[2 * i] = q[2 * idx[i]]; W[2 * i + 1] = q[2 * idx[i] + 1]; }
  gb(W, 0, 4, 8, 12); gb(W, 1, 5, 9, 13); gb(W, 2, 6, 10, 14); gb(W, 3, 7, 11, 15);
  gb(W, 0, 5, 10, 15); gb(W, 1, 6, 11, 12); gb(W, 2, 7, 8, 13); gb(W, 3, 4, 9, 14);
  for (let i = 0; i < 16; i++) { q[2 * idx[i]] = W[2 * i]; q[2 * idx[i] + 1] = W[2 * i + 1]; }
}

/**
 * G(X, Y) of RFC 9106 section 3.5 into {@code mem} at {@code out} (word offsets of 1 KiB blocks in Uint32Arrays):
 * with {@code xorInto}, the result is XORed into what is there (passes after the first, version 0x13).
 */
function g(xMem, x, yMem, y, mem, out, xorInto) {
  for (let i = 0; i < 256; i++) R[i] = xMem[x + i] ^ yMem[y + i];
  Q.set(R);
  for (let row = 0; row < 8; row++) {
    for (let i = 0; i < 16; i++) IDX[i] = 16 * row + i;
    permute(Q, IDX);
  }
  for (let col = 0; col < 8; col++) {
    for (let i = 0; i < 8; i++) { IDX[2 * i] = 2 * col + 16 * i; IDX[2 * i + 1] = 2 * col + 16 * i + 1; }
    permute(Q, IDX);
  }
  if (xorInto) {
    for (let i = 0; i < 256; i++) mem[out + i] ^= Q[i] ^ R[i];
  } else {
    for (let i = 0; i < 256; i++) mem[out + i] = Q[i] ^ R[i];
  }
}

function mulHi32(a, b) {
  mul32(a, b);
  return mulHi;
}

/**
 * Argon2id(password, salt) with m KiB, t passes, p lanes, a 32-byte tag (no secret, no associated data).
 * {@code progress(done, total)} is called after each segment.
 */
export function argon2id(password, salt, m, t, p, progress = () => {}) {
  const tagLen = 32;
  const h0 = blake2b(64, le32(p), le32(tagLen), le32(m), le32(t), le32(0x13), le32(2),
    le32(password.length), password, le32(salt.length), salt, le32(0), le32(0));
  const blocks = 4 * p * Math.floor(m / (4 * p));
  const laneLength = blocks / p;
  const segmentLength = laneLength / 4;
  const mem = new Uint32Array(blocks * 256);
  const toWords = (bytes, at) => {
    for (let i = 0; i < 256; i++) {
      mem[at + i] = bytes[4 * i] | (bytes[4 * i + 1] << 8) | (bytes[4 * i + 2] << 16) | (bytes[4 * i + 3] << 24);
    }
  };
  for (let l = 0; l < p; l++) {
    toWords(hashPrime(1024, h0, le32(0), le32(l)), (l * laneLength) * 256);
    toWords(hashPrime(1024, h0, le32(1), le32(l)), (l * laneLength + 1) * 256);
  }
  const zero = new Uint32Array(256);
  const input = new Uint32Array(256);
  const address = new Uint32Array(256);
  const tmp = new Uint32Array(256);
  const total = t * 4 * p;
  let done = 0;
  for (let pass = 0; pass < t; pass++) {
    for (let slice = 0; slice < 4; slice++) {
      for (let lane = 0; lane < p; lane++) {
        const independent = pass === 0 && slice < 2;
        if (independent) {
          input.fill(0);
          input[0] = pass; input[2] = lane; input[4] = slice; input[6] = blocks; input[8] = t; input[10] = 2;
        }
        const first = pass === 0 && slice === 0 ? 2 : 0;
        if (independent && first === 2) { // the first address block of the first segment
          input[12]++;
          g(zero, 0, input, 0, tmp, 0, false);
          g(zero, 0, tmp, 0, address, 0, false);
        }
        for (let index = first; index < segmentLength; index++) {
          const col = slice * segmentLength + index;
          const cur = lane * laneLength + col;
          const prev = col === 0 ? cur + laneLength - 1 : cur - 1;
          let j1;
          let j2;
          if (independent) {
            if (index % 128 === 0) {
              input[12]++;
              g(zero, 0, input, 0, tmp, 0, false);
              g(zero, 0, tmp, 0, address, 0, false);
            }
            j1 = address[2 * (index % 128)];
            j2 = address[2 * (index % 128) + 1];
          } else {
            j1 = mem[prev * 256];
            j2 = mem[prev * 256 + 1];
          }
          const refLane = pass === 0 && slice === 0 ? lane : j2 % p;
          const sameLane = refLane === lane;
          let area;
          if (pass === 0) {
            area = slice === 0 ? index - 1
              : sameLane ? slice * segmentLength + index - 1 : slice * segmentLength + (index === 0 ? -1 : 0);
          } else {
            area = sameLane ? laneLength - segmentLength + index - 1
              : laneLength - segmentLength + (index === 0 ? -1 : 0);
          }
          const x = mulHi32(j1, j1);
          const rel = area - 1 - mulHi32(area, x);
          const start = pass === 0 || slice === 3 ? 0 : (slice + 1) * segmentLength;
          const refIndex = (start + rel) % laneLength;
          const ref = refLane * laneLength + refIndex;
          g(mem, prev * 256, mem, ref * 256, mem, cur * 256, pass > 0);
        }
        progress(++done, total);
      }
    }
  }
  const c = new Uint32Array(256);
  for (let l = 0; l < p; l++) {
    const last = (l * laneLength + laneLength - 1) * 256;
    for (let i = 0; i < 256; i++) c[i] ^= mem[last + i];
  }
  mem.fill(0);
  const cBytes = new Uint8Array(1024);
  for (let i = 0; i < 256; i++) {
    cBytes[4 * i] = c[i]; cBytes[4 * i + 1] = c[i] >>> 8; cBytes[4 * i + 2] = c[i] >>> 16; cBytes[4 * i + 3] = c[i] >>> 24;
  }
  return hashPrime(tagLen, cBytes);
}
