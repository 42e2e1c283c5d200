/**
 * Legacy clients of the wuzapi family were served by Go, whose JSON decoder matches keys to
 * fields case-insensitively. This maps each incoming key to the name its route schema declares,
 * ignoring case, `_` and `-`, and honouring the extra names a property lists in `x-aliases`
 * (`number` → `Phone`). Keys the schema does not know are kept as they are.
 */

interface SchemaNode {
  type?: string | string[]
  properties?: Record<string, SchemaNode>
  items?: SchemaNode
  anyOf?: SchemaNode[]
  oneOf?: SchemaNode[]
  'x-aliases'?: string[]
}

type Normalizer = (value: unknown) => unknown

const fold = (key: string) => key.toLowerCase().replace(/[_\-\s]/g, '')
const cache = new WeakMap<object, Normalizer>()

/** The normalizer for a schema, compiled once per schema object. */
export function keyNormalizer(schema: object): Normalizer {
  let normalizer = cache.get(schema)
  if (!normalizer) {
    normalizer = compile(schema as SchemaNode)
    cache.set(schema, normalizer)
  }
  return normalizer
}

function compile(schema: SchemaNode): Normalizer {
  const members = [schema, ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]
  const properties = new Map<string, { name: string; normalize: Normalizer }>()
  let items: Normalizer | undefined
  for (const member of members) {
    for (const [name, sub] of Object.entries(member.properties ?? {})) {
      const entry = { name, normalize: compile(sub) }
      for (const key of [name, ...(sub['x-aliases'] ?? [])]) {
        if (!properties.has(fold(key))) properties.set(fold(key), entry)
      }
    }
    if (member.items && !items) items = compile(member.items)
  }
  if (properties.size === 0 && !items) return (value) => value
  return (value) => {
    if (Array.isArray(value)) return items ? value.map(items) : value
    if (value === null || typeof value !== 'object' || properties.size === 0) return value
    const out: Record<string, unknown> = {}
    for (const [key, inner] of Object.entries(value)) {
      const target = properties.get(fold(key))
      if (!target) {
        if (!(key in out)) out[key] = inner
        continue
      }
      // An exact spelling wins over a folded one when a client sends both.
      if (target.name in out && key !== target.name) continue
      out[target.name] = target.normalize(inner)
    }
    return out
  }
}
