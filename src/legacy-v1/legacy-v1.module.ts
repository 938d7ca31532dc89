import { Module } from '@nestjs/common';

@Module({})
export class LegacyV1Module {}
