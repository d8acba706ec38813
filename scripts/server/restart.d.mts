export const RESTART_EXIT_CODE: number;
export const SUPERVISED_ENV: string;
