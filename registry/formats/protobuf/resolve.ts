// Confluent's name resolution (diff/Context.resolve), used where its results decide what the
// registry prints or reports: try the name under the package plus enclosing message names,
// innermost first, then as given; a leading dot means it is already fully qualified.

/** The full name (no leading dot) `name` resolves to, or null. */
export function confluentResolve(
  exists: (fullName: string) => boolean,
  packageName: string,
  enclosing: readonly string[],
  name: string,
): string | null {
  if (name.startsWith(".")) {
    const fullName = name.slice(1);
    return exists(fullName) ? fullName : null;
  }
  const prefix = [...(packageName === "" ? [] : packageName.split(".")), ...enclosing];
  while (prefix.length > 0) {
    const candidate = `${prefix.join(".")}.${name}`;
    if (exists(candidate)) return candidate;
    prefix.pop();
  }
  return exists(name) ? name : null;
}
