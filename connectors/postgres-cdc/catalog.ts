// What the captured tables look like, read from the system catalogs (pg_class, pg_attribute,
// pg_type, pg_enum, pg_index, pg_attrdef), and which tables and columns Debezium's filters
// (table/schema/column include and exclude lists) capture.
import type pg from "pg";
import type { ColumnInfo, TableInfo } from "./contracts.ts";

/** Catalog queries must see raw text, whatever type parsers the client has. */
const TEXT = { getTypeParser: () => (value: string) => value };

interface TypeRow {
  oid: string;
  typname: string;
  typtype: string;
  typcategory: string;
  typbasetype: string;
  typtypmod: string;
  typnotnull: boolean;
  typelem: string;
}

/** pg_type rows of these types and of every type they lead to (domain bases, array elements). */
async function loadTypes(client: pg.ClientBase, oids: Iterable<string>): Promise<Map<string, TypeRow>> {
  const types = new Map<string, TypeRow>();
  let pending = [...new Set(oids)];
  while (pending.length > 0) {
    const { rows } = await client.query<TypeRow>({
      text: `SELECT oid, typname, typtype, typcategory, typbasetype, typtypmod, typnotnull, typelem
               FROM pg_catalog.pg_type WHERE oid = ANY($1::oid[])`,
      values: [pending],
      types: TEXT,
    });
    const next = new Set<string>();
    for (const row of rows) {
      types.set(row.oid, { ...row, typnotnull: String(row.typnotnull) === "t" || row.typnotnull === true });
      for (const linked of [row.typbasetype, row.typelem]) if (linked !== "0" && !types.has(linked)) next.add(linked);
    }
    pending = [...next].filter((oid) => !types.has(oid));
  }
  return types;
}

/** Follows a domain to its base type; the first type modifier declared along the way. */
function resolveDomain(types: Map<string, TypeRow>, oid: string, typeModifier: number): { type: TypeRow; typeModifier: number; notNull: boolean } {
  let type = types.get(oid);
  if (type === undefined) throw new Error(`Type ${oid} not found in pg_type`);
  let modifier = typeModifier;
  let notNull = false;
  for (let depth = 0; type.typtype === "d" && depth < 100; depth++) {
    if (modifier < 0) modifier = Number(type.typtypmod);
    notNull ||= type.typnotnull;
    const base = types.get(type.typbasetype);
    if (base === undefined) throw new Error(`Base type ${type.typbasetype} of domain ${type.typname} not found`);
    type = base;
  }
  return { type, typeModifier: modifier, notNull };
}

interface AttributeRow {
  attname: string;
  attnum: string;
  atttypid: string;
  atttypmod: string;
  attnotnull: string;
  default_expression: string | null;
}

/**
 * The table's description, or null when no ordinary or partitioned table has that name.
 * Dropped and system columns are left out; a domain column is described by its base type
 * (typeOid stays the column's own type, as pgoutput's Relation messages report it).
 */
export async function loadTableInfo(client: pg.ClientBase, schema: string, table: string): Promise<TableInfo | null> {
  const rel = await client.query<{ oid: string; relreplident: string }>({
    text: `SELECT c.oid, c.relreplident FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')`,
    values: [schema, table],
    types: TEXT,
  });
  const relation = rel.rows[0];
  if (relation === undefined) return null;

  const { rows: attributes } = await client.query<AttributeRow>({
    text: `SELECT a.attname, a.attnum, a.atttypid, a.atttypmod, a.attnotnull, pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS default_expression
             FROM pg_catalog.pg_attribute a
             LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum`,
    values: [relation.oid],
    types: TEXT,
  });
  const types = await loadTypes(client, attributes.map((a) => a.atttypid));

  const enumOids = new Set<string>();
  const resolved = attributes.map((attribute) => {
    const base = resolveDomain(types, attribute.atttypid, Number(attribute.atttypmod));
    const element = base.type.typcategory === "A" && base.type.typelem !== "0" ? resolveDomain(types, base.type.typelem, -1).type : null;
    const enumType = base.type.typtype === "e" ? base.type : element?.typtype === "e" ? element : null;
    if (enumType !== null) enumOids.add(enumType.oid);
    return { attribute, base, element, enumType };
  });

  const labels = new Map<string, string[]>();
  if (enumOids.size > 0) {
    const { rows } = await client.query<{ enumtypid: string; enumlabel: string }>({
      text: "SELECT enumtypid, enumlabel FROM pg_catalog.pg_enum WHERE enumtypid = ANY($1::oid[]) ORDER BY enumtypid, enumsortorder",
      values: [[...enumOids]],
      types: TEXT,
    });
    for (const row of rows) labels.set(row.enumtypid, [...(labels.get(row.enumtypid) ?? []), row.enumlabel]);
  }

  const columns: ColumnInfo[] = resolved.map(({ attribute, base, element, enumType }) => {
    const column: ColumnInfo = {
      name: attribute.attname,
      position: Number(attribute.attnum),
      typeOid: Number(attribute.atttypid),
      typeModifier: base.typeModifier,
      typeName: base.type.typname,
      typeCategory: base.type.typcategory,
      optional: !(attribute.attnotnull === "t" || base.notNull),
    };
    if (element !== null) column.elementTypeName = element.typname;
    if (enumType !== null) column.enumValues = labels.get(enumType.oid) ?? [];
    if (attribute.default_expression !== null) column.defaultExpression = attribute.default_expression;
    return column;
  });

  const { rows: keyRows } = await client.query<{ attname: string }>({
    text: `SELECT a.attname
             FROM pg_catalog.pg_index i
             CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE i.indrelid = $1 AND i.indisprimary
            ORDER BY k.ord`,
    values: [relation.oid],
    types: TEXT,
  });

  return {
    schema,
    table,
    relationId: Number(relation.oid),
    columns,
    primaryKey: keyRows.map((r) => r.attname),
    replicaIdentity: relation.relreplident as TableInfo["replicaIdentity"],
  };
}

/** Debezium's table filters (table.include.list & co.): regular expressions, comma lists already split. */
export interface TableFilter {
  tableIncludeList?: readonly string[];
  tableExcludeList?: readonly string[];
  schemaIncludeList?: readonly string[];
  schemaExcludeList?: readonly string[];
}

/** Schemas Debezium never captures (its Filters' system schema exclusions). */
function isSystemSchema(schema: string): boolean {
  return schema === "pg_catalog" || schema === "information_schema" || schema.startsWith("pg_toast") || schema.startsWith("pg_temp");
}

/**
 * A test of identifiers against Debezium include/exclude lists: each entry is a regular
 * expression matched against the whole identifier (Pattern.matches), case-insensitively as
 * Debezium compiles them; an include list (when given) wins over an exclude list.
 */
function listPredicate(include: readonly string[] | undefined, exclude: readonly string[] | undefined): (id: string) => boolean {
  const compile = (list: readonly string[]): RegExp[] => list.map((p) => p.trim()).filter((p) => p !== "").map((p) => new RegExp(`^(?:${p})$`, "i"));
  if (include !== undefined && include.length > 0) {
    const patterns = compile(include);
    return (id) => patterns.some((p) => p.test(id));
  }
  if (exclude !== undefined && exclude.length > 0) {
    const patterns = compile(exclude);
    return (id) => !patterns.some((p) => p.test(id));
  }
  return () => true;
}

/** A test of "schema.table" against the filter (system schemas never pass). */
export function tableFilter(filter: TableFilter): (schema: string, table: string) => boolean {
  const schemaOk = listPredicate(filter.schemaIncludeList, filter.schemaExcludeList);
  const tableOk = listPredicate(filter.tableIncludeList, filter.tableExcludeList);
  return (schema, table) => !isSystemSchema(schema) && schemaOk(schema) && tableOk(`${schema}.${table}`);
}

/** The ordinary and partitioned tables the filter captures, sorted by schema, then table. */
export async function listCapturedTables(client: pg.ClientBase, filter: TableFilter): Promise<TableInfo[]> {
  const { rows } = await client.query<{ nspname: string; relname: string }>({
    text: `SELECT n.nspname, c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p')`,
    types: TEXT,
  });
  const accepts = tableFilter(filter);
  const names = rows
    .filter((r) => accepts(r.nspname, r.relname))
    .sort((a, b) => compare(a.nspname, b.nspname) || compare(a.relname, b.relname));
  const tables: TableInfo[] = [];
  for (const { nspname, relname } of names) {
    const info = await loadTableInfo(client, nspname, relname);
    if (info !== null) tables.push(info);
  }
  return tables;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Debezium's column.include.list / column.exclude.list: regular expressions matched against
 * the whole "schema.table.column", case-insensitively; the include list wins when both are given.
 */
export function columnFilter(includeList?: readonly string[], excludeList?: readonly string[]): (schema: string, table: string, column: string) => boolean {
  const accepts = listPredicate(includeList, excludeList);
  return (schema, table, column) => accepts(`${schema}.${table}.${column}`);
}
