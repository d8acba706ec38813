/**
 * The browser's DPoP key (RFC 9449 §2): an ES256 key pair whose private half is a non-extractable
 * WebCrypto CryptoKey. It is kept in IndexedDB — CryptoKey objects are structured-cloneable, and
 * `extractable: false` survives the round trip — so it outlives a reload and every tab of this origin
 * shares it (two tabs refreshing one refresh family must prove with the same key). Script in the page
 * can use the key (sign proofs) but can never read its private bytes: a token copied out of the page
 * is useless without it, while script running in the page is not stopped (SECURITY.md).
 *
 * Never localStorage: it holds strings only, so the key would have to be exported — exactly what
 * `extractable: false` forbids.
 */
import { generateKeyPair } from "jose";

const DATABASE = "authlab";
const VERSION = 1;
const STORE = "dpop-keys";
const CURRENT = "current";

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openDatabase(): Promise<IDBDatabase> {
  const opening = indexedDB.open(DATABASE, VERSION);
  opening.onupgradeneeded = () => {
    if (!opening.result.objectStoreNames.contains(STORE)) opening.result.createObjectStore(STORE);
  };
  return request(opening);
}

async function read(db: IDBDatabase): Promise<CryptoKeyPair | undefined> {
  return request(db.transaction(STORE, "readonly").objectStore(STORE).get(CURRENT));
}

/** The one key pair of this origin: read from IndexedDB, or made and stored on first use. */
export async function loadOrCreateKeyPair(): Promise<CryptoKeyPair> {
  const db = await openDatabase();
  try {
    const stored = await read(db);
    if (stored) return stored;
    // jose generates with WebCrypto: the private key is non-extractable unless asked otherwise.
    const created = (await generateKeyPair("ES256")) as CryptoKeyPair;
    try {
      // add, not put: when two tabs create a key at the same moment, the second add fails and that tab
      // reads the first one's key, so both prove with one key.
      await request(db.transaction(STORE, "readwrite").objectStore(STORE).add(created, CURRENT));
      return created;
    } catch (error) {
      if (!(error instanceof DOMException && error.name === "ConstraintError")) throw error;
      const winner = await read(db);
      if (!winner) throw error;
      return winner;
    }
  } finally {
    db.close();
  }
}

/** Why DPoP cannot run in this browser, or null when it can. */
export function dpopUnavailableReason(): string | null {
  if (typeof window === "undefined") return "not in a browser";
  if (!window.isSecureContext || !crypto?.subtle) return "WebCrypto needs a secure context (HTTPS or localhost)";
  if (typeof indexedDB === "undefined") return "this browser offers no IndexedDB";
  return null;
}
