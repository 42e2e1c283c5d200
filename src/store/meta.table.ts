import type { Selectable } from 'kysely'

/** Small key/value facts about the database itself (e.g. the encryption key check). */
export interface MetaTable {
  key: string
  value: string
}

export type MetaRow = Selectable<MetaTable>
