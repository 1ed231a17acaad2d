import { z } from "zod";

export const roleSchema = z.enum(["admin", "staff", "viewer"]);
export const usernameSchema = z
  .string()
  .trim()
  .min(2, "用户名至少 2 个字符")
  .max(32, "用户名最多 32 个字符")
  .regex(/^[A-Za-z0-9_.-]+$/, "用户名只能包含字母、数字、下划线、点和连字符");
export const passwordSchema = z.string().min(8, "密码至少 8 位").max(200, "密码过长");
export const displayNameSchema = z.string().trim().max(50).nullish();

export const createUserInput = z.object({
  username: usernameSchema,
  password: passwordSchema,
  role: roleSchema,
  displayName: displayNameSchema,
});
export const updateUserInput = z.object({
  id: z.number().int().positive(),
  role: roleSchema.optional(),
  displayName: displayNameSchema,
  disabled: z.boolean().optional(),
});
export const resetPasswordInput = z.object({ id: z.number().int().positive(), password: passwordSchema });
