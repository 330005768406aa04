import { getMetadataStorage } from 'class-validator';

type Storage = ReturnType<typeof getMetadataStorage>;
type Metadatas = ReturnType<Storage['getTargetValidationMetadatas']>;
type Grouped = ReturnType<Storage['groupByPropertyName']>;

let installed = false;

/**
 * class-validator looks up a class's validation metadata on every validation: it filters the
 * class's own decorators and walks every decorated class of the process to find its ancestors
 * (hundreds here), then groups the result by property. The answer only changes when a decorator
 * runs, i.e. when a class is defined, so it is kept per class (for validations without groups, the
 * only kind this service runs) and forgotten whenever metadata is added. Results are read, never
 * changed, by the validator.
 */
export function cacheValidationMetadata(): void {
  if (installed) return;
  installed = true;
  const storage = getMetadataStorage();
  let byTarget = new Map<unknown, Metadatas>();
  let grouped = new WeakMap<Metadatas, Grouped>();
  const forget = () => {
    byTarget = new Map();
    grouped = new WeakMap();
  };

  const targetMetadatas = storage.getTargetValidationMetadatas.bind(storage);
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    if ((groups && groups.length > 0) || always || strictGroups || schema) return targetMetadatas(target, schema, always, strictGroups, groups);
    let found = byTarget.get(target);
    if (!found) byTarget.set(target, (found = targetMetadatas(target, schema, always, strictGroups, groups)));
    return found;
  };
  const groupByPropertyName = storage.groupByPropertyName.bind(storage);
  storage.groupByPropertyName = (metadatas) => {
    let found = grouped.get(metadatas);
    if (!found) grouped.set(metadatas, (found = groupByPropertyName(metadatas)));
    return found;
  };
  for (const method of ['addValidationMetadata', 'addConstraintMetadata', 'addValidationSchema'] as const) {
    const original = (storage[method] as (arg: never) => void).bind(storage);
    (storage as unknown as Record<string, (arg: never) => void>)[method] = (arg: never) => {
      forget();
      original(arg);
    };
  }
}
