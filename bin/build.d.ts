/** Types of bin/build.js (plain JavaScript so that bin/parazone.js can run it before any build). */
export declare const ROOT: string;
export declare const DIST: string;
export declare function sourceFiles(): string[];
export declare function sourcesStamp(files?: string[]): string;
export declare function isBuildCurrent(): boolean;
export declare function build(options?: { log?: (line: string) => void }): Promise<void>;
export declare function buildCommand(flag: string | undefined): Promise<void>;
