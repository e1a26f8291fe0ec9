/**
 * A sorted set of safe integers (price keys) as a B+ tree: O(log n) insert and delete with a
 * high fan-out, so a book of 100k levels is three node levels deep and each step is a binary
 * search in a short array (cache-friendly, unlike a binary tree's pointer chase).
 *
 * Internal nodes hold separators: `keys[i]` is a lower bound of every key under `children[i + 1]`
 * and above every key under `children[i]` (a deleted minimum may leave it below the child's new
 * minimum; it stays a valid bound). A node other than the root holds at least `max >> 1` entries;
 * an overfull node splits in two, an underfull one borrows from or merges with a sibling.
 *
 * Most changes happen at the touch, the largest keys: the rightmost leaf is kept at hand, and a
 * key that lands in it without splitting it (or leaves it without underflow) skips the descent.
 *
 * Deterministic (no randomness): the same calls build the same tree.
 */

class TreeNode {
  constructor(
    public keys: number[],
    /** Null for a leaf. */
    public children: TreeNode[] | null,
  ) {}

  get size(): number {
    return this.children === null ? this.keys.length : this.children.length;
  }
}

/** Where an insert found its new key's neighbour in the leaf: the key just above or just below it. */
export type Neighbour = 'ABOVE' | 'BELOW' | 'NONE';

export class PriceTree {
  private root = new TreeNode([], null);
  /** The rightmost leaf (the root when that is a leaf), found again after each change that descends. */
  private last: TreeNode = this.root;
  private count = 0;
  private readonly max: number;
  private readonly min: number;
  /** Scratch of `insert`: the separator of a node split on the way up. */
  private splitKey = 0;
  /** Set by `insert`: a key next to the new one, and on which side (see `Neighbour`). */
  neighbourKey = 0;
  neighbour: Neighbour = 'NONE';

  /** `fanout`: most entries per node (≥ 4; small values exercise splits and merges in tests). */
  constructor(fanout = 64) {
    if (!Number.isInteger(fanout) || fanout < 4) throw new RangeError(`fanout must be an integer ≥ 4, got ${fanout}`);
    this.max = fanout;
    this.min = fanout >> 1;
  }

  get size(): number {
    return this.count;
  }

  /**
   * Adds `key` (which must be absent) and sets `neighbour`/`neighbourKey` to a key adjacent to it:
   * the next larger one when the new key is not last in its leaf, else the next smaller one; NONE
   * only when the set held nothing else.
   */
  insert(key: number): void {
    const last = this.last;
    const keys = last.keys;
    if (keys.length < this.max && keys.length > 0 && key >= keys[0]!) {
      this.insertInLeaf(keys, key);
    } else {
      const right = this.insertInto(this.root, key);
      if (right !== null) this.root = new TreeNode([this.splitKey], [this.root, right]);
      this.last = rightmostLeaf(this.root);
    }
    this.count++;
  }

  /** Removes `key`; false (and nothing changed) when it is absent. */
  delete(key: number): boolean {
    const keys = this.last.keys;
    if (keys.length > this.min && key >= keys[0]!) {
      if (!deleteInLeaf(keys, key)) return false;
    } else {
      if (!this.deleteFrom(this.root, key)) return false;
      const root = this.root;
      if (root.children !== null && root.children.length === 1) this.root = root.children[0]!;
      this.last = rightmostLeaf(this.root);
    }
    this.count--;
    return true;
  }

  /** Keys in ascending order (for tests and checks; O(n)). */
  toArray(): number[] {
    const out: number[] = [];
    const walk = (node: TreeNode): void => {
      if (node.children === null) for (const k of node.keys) out.push(k);
      else for (const child of node.children) walk(child);
    };
    walk(this.root);
    return out;
  }

  /** Height and the fill of every node, checked: throws when an invariant is broken (tests). */
  check(): number {
    return checkNode(this.root, this.min, this.max, true, -Infinity, Infinity);
  }

  /** Returns the new right sibling when `node` split (its separator in `splitKey`), else null. */
  private insertInto(node: TreeNode, key: number): TreeNode | null {
    const keys = node.keys;
    const children = node.children;
    if (children === null) {
      this.insertInLeaf(keys, key);
      return keys.length > this.max ? this.splitLeaf(node) : null;
    }
    const i = upperBound(keys, key);
    const right = this.insertInto(children[i]!, key);
    if (right === null) return null;
    keys.splice(i, 0, this.splitKey);
    children.splice(i + 1, 0, right);
    return children.length > this.max ? this.splitInternal(node) : null;
  }

  /** Inserts into a leaf's keys (shifting by hand: `splice` allocates) and notes the neighbour. */
  private insertInLeaf(keys: number[], key: number): void {
    const i = lowerBound(keys, key);
    if (keys[i] === key) throw new Error(`price key ${key} is already in the tree`);
    if (i < keys.length) this.setNeighbour('ABOVE', keys[i]!);
    else if (i > 0) this.setNeighbour('BELOW', keys[i - 1]!);
    else this.neighbour = 'NONE';
    for (let j = keys.length; j > i; j--) keys[j] = keys[j - 1]!;
    keys[i] = key;
  }

  private setNeighbour(side: Neighbour, key: number): void {
    this.neighbour = side;
    this.neighbourKey = key;
  }

  private splitLeaf(node: TreeNode): TreeNode {
    const right = new TreeNode(node.keys.splice(node.keys.length >> 1), null);
    this.splitKey = right.keys[0]!;
    return right;
  }

  private splitInternal(node: TreeNode): TreeNode {
    const children = node.children!;
    const mid = children.length >> 1;
    const rightChildren = children.splice(mid);
    const rightKeys = node.keys.splice(mid);
    this.splitKey = node.keys.pop()!;
    return new TreeNode(rightKeys, rightChildren);
  }

  private deleteFrom(node: TreeNode, key: number): boolean {
    const keys = node.keys;
    const children = node.children;
    if (children === null) return deleteInLeaf(keys, key);
    const i = upperBound(keys, key);
    const child = children[i]!;
    if (!this.deleteFrom(child, key)) return false;
    if (child.size < this.min) this.rebalance(node, i);
    return true;
  }

  /** Child `i` of `parent` fell below the minimum: borrow one entry from a sibling, or merge with it. */
  private rebalance(parent: TreeNode, i: number): void {
    const children = parent.children!;
    const left = i > 0 ? children[i - 1]! : null;
    const right = i + 1 < children.length ? children[i + 1]! : null;
    if (left !== null && left.size > this.min) return borrowFromLeft(parent, i);
    if (right !== null && right.size > this.min) return borrowFromRight(parent, i);
    if (left !== null) mergeInto(parent, i - 1);
    else mergeInto(parent, i);
  }
}

/** Removes `key` from a leaf's keys (shifting by hand); false when absent. */
function deleteInLeaf(keys: number[], key: number): boolean {
  const i = lowerBound(keys, key);
  if (keys[i] !== key) return false;
  const last = keys.length - 1;
  for (let j = i; j < last; j++) keys[j] = keys[j + 1]!;
  keys.pop();
  return true;
}

function rightmostLeaf(node: TreeNode): TreeNode {
  while (node.children !== null) node = node.children[node.children.length - 1]!;
  return node;
}

function borrowFromLeft(parent: TreeNode, i: number): void {
  const node = parent.children![i]!;
  const left = parent.children![i - 1]!;
  if (node.children === null) {
    node.keys.unshift(left.keys.pop()!);
    parent.keys[i - 1] = node.keys[0]!;
  } else {
    node.children.unshift(left.children!.pop()!);
    node.keys.unshift(parent.keys[i - 1]!);
    parent.keys[i - 1] = left.keys.pop()!;
  }
}

function borrowFromRight(parent: TreeNode, i: number): void {
  const node = parent.children![i]!;
  const right = parent.children![i + 1]!;
  if (node.children === null) {
    node.keys.push(right.keys.shift()!);
    parent.keys[i] = right.keys[0]!;
  } else {
    node.children.push(right.children!.shift()!);
    node.keys.push(parent.keys[i]!);
    parent.keys[i] = right.keys.shift()!;
  }
}

/** Merges child `j + 1` of `parent` into child `j` and drops it with their separator. */
function mergeInto(parent: TreeNode, j: number): void {
  const left = parent.children![j]!;
  const right = parent.children![j + 1]!;
  const separator = parent.keys[j]!;
  if (left.children === null) {
    for (const k of right.keys) left.keys.push(k);
  } else {
    left.keys.push(separator);
    for (const k of right.keys) left.keys.push(k);
    for (const c of right.children!) left.children.push(c);
  }
  parent.keys.splice(j, 1);
  parent.children!.splice(j + 1, 1);
}

/** First index whose key is ≥ `key`. */
function lowerBound(keys: number[], key: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose key is > `key`. */
function upperBound(keys: number[], key: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Checks order, bounds and fill below `node`; returns its height (1 for a leaf). */
function checkNode(node: TreeNode, min: number, max: number, isRoot: boolean, lo: number, hi: number): number {
  const { keys, children } = node;
  if (node.size > max || (!isRoot && node.size < min)) throw new Error(`node of ${node.size} entries outside [${min}, ${max}]`);
  for (let k = 0; k < keys.length; k++) {
    if (keys[k]! < lo || keys[k]! >= hi || (k > 0 && keys[k - 1]! >= keys[k]!)) throw new Error(`key ${String(keys[k])} out of order or bounds`);
  }
  if (children === null) return 1;
  if (keys.length !== children.length - 1) throw new Error('separators do not match children');
  let height = -1;
  for (let c = 0; c < children.length; c++) {
    const h = checkNode(children[c]!, min, max, false, c === 0 ? lo : keys[c - 1]!, c === keys.length ? hi : keys[c]!);
    if (height !== -1 && h !== height) throw new Error('leaves at different depths');
    height = h;
  }
  return height + 1;
}
