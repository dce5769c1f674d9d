export declare const DEFAULT_CACHE_DIR: string;
export declare function bundleFor(entry: string, cacheDir?: string): Promise<{ bundle: string; built: boolean }>;
export declare function importBundled(entry: string, cacheDir?: string): Promise<Record<string, unknown>>;
